/**
 * The console's keyboard (DESIGN.md §7): which keys do what, and how a key press is read.
 *
 *   Ctrl+K / ⌘K   command palette (also while typing; again to close)
 *   ?             the palette, with this list
 *   n             declare an incident (on the incident list)
 *   g then i      go to the incidents
 *   w             wall display of the incident on screen
 *   / or e        the timeline's quick entry (QuickEntry listens for these itself)
 *
 * Invariants:
 * - Single keys never fire while the person types in a text field, nor with Ctrl, ⌘ or Alt held
 *   (those belong to the browser and the operating system).
 * - A shortcut that acts on a control presses the control that declares it in `aria-keyshortcuts`,
 *   so the key and the button can never disagree, and where the button is not shown (a read-only
 *   view) the key does nothing.
 */

export type ShortcutCommand = 'toggle-palette' | 'open-help' | 'declare-incident' | 'go-to-incidents' | 'open-wall-display';

export interface ShortcutHelp {
  keys: string;
  description: string;
}

export const SHORTCUT_HELP: readonly ShortcutHelp[] = [
  { keys: 'Ctrl+K / ⌘K', description: 'Command palette' },
  { keys: '?', description: 'Command palette and this list' },
  { keys: 'N', description: 'Declare an incident (incident list)' },
  { keys: 'G then I', description: 'Go to incidents' },
  { keys: 'W', description: 'Wall display' },
  { keys: '/ or E', description: 'Timeline entry (incident screen)' },
];

/** The second key of a sequence (g i) must follow the first within this. */
export const SEQUENCE_TIMEOUT_MS = 1_000;
/** How long a shortcut waits for its control to appear after navigating to the screen that has it. */
export const TARGET_WAIT_MS = 2_000;
/** The timeline's quick entry focuses itself on this window event. */
export const FOCUS_QUICK_ENTRY_EVENT = 'sitrep:focus-quick-entry';
/** What the Electron menu's "New Incident…" dispatches on window (electron/main/ipc-channels.ts). */
export const NEW_INCIDENT_EVENT = 'sitrep:new-incident';

/** Inputs a key press does not type into. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export interface ShortcutReader {
  /** The command a key press means, or null; remembers the first key of a sequence. */
  read(event: KeyboardEvent): ShortcutCommand | null;
}

export function createShortcutReader(now: () => number = Date.now): ShortcutReader {
  let sequenceStartedAt: number | null = null;
  return {
    read(event) {
      const modified = event.ctrlKey || event.metaKey;
      if (modified && !event.altKey && event.key.toLowerCase() === 'k') return 'toggle-palette';
      const startedAt = sequenceStartedAt;
      sequenceStartedAt = null;
      if (modified || event.altKey || event.repeat || isTypingTarget(event.target)) return null;
      if (startedAt !== null && now() - startedAt <= SEQUENCE_TIMEOUT_MS) return event.key === 'i' ? 'go-to-incidents' : null;
      switch (event.key) {
        case '?':
          return 'open-help';
        case 'n':
          return 'declare-incident';
        case 'w':
          return 'open-wall-display';
        case 'g':
          sequenceStartedAt = now();
          return null;
        default:
          return null;
      }
    },
  };
}

/** The enabled control on screen that declares `key` among its aria-keyshortcuts. */
export function declaredShortcutTarget(key: string, root: ParentNode = document): HTMLElement | null {
  const wanted = key.toLowerCase();
  for (const element of root.querySelectorAll<HTMLElement>('[aria-keyshortcuts]')) {
    const keys = (element.getAttribute('aria-keyshortcuts') ?? '').toLowerCase().split(/\s+/);
    if (keys.includes(wanted) && !element.matches(':disabled')) return element;
  }
  return null;
}

/**
 * Presses the control that declares `key`: at once when it is on screen, else as soon as it appears
 * within `waitMs` (after a navigation to its screen); gives up silently after that.
 */
export function pressDeclaredShortcut(key: string, waitMs = 0): void {
  const target = declaredShortcutTarget(key);
  if (target) {
    target.click();
    return;
  }
  if (waitMs <= 0) return;
  const observer = new MutationObserver(() => {
    const appeared = declaredShortcutTarget(key);
    if (!appeared) return;
    stop();
    appeared.click();
  });
  const timer = setTimeout(() => stop(), waitMs);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  observer.observe(document.body, { childList: true, subtree: true });
}
