/**
 * The console's colours: dark by default (a war room is dim), light on request. A choice of this
 * device, not of the incident, so it lives in localStorage. The wall display stays dark whatever is
 * chosen (wall.css).
 */
import { createStore } from 'zustand/vanilla';

export type Theme = 'dark' | 'light';

export const THEME_STORAGE_KEY = 'sitrep.theme';

export interface ThemeState {
  theme: Theme;
  toggle(): void;
}

export function loadTheme(): Theme {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Storage can be refused (private mode): the choice then lasts for this window only.
  }
}

/** What the stylesheet reads: `:root[data-theme='light']` (app.css). */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.dataset.theme = theme;
}

export const createThemeStore = () =>
  createStore<ThemeState>()((set, get) => ({
    theme: loadTheme(),
    toggle() {
      const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
      saveTheme(theme);
      set({ theme });
    },
  }));
