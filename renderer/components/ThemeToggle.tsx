import { useTheme } from '../state/console-stores';

/**
 * Light or dark colours for this device. One name whatever the state, with aria-pressed saying
 * whether the light theme is on (a toggle whose label changed with its state would read backwards).
 */
export function ThemeToggle() {
  const theme = useTheme((s) => s.theme);
  const toggle = useTheme((s) => s.toggle);
  return (
    <button type="button" className="theme-toggle" aria-pressed={theme === 'light'} onClick={toggle}>
      Light theme
    </button>
  );
}
