/**
 * The console's keyboard (DESIGN.md §7): which keys do what, and how a key press is read.
 *
 *   Ctrl+K / ⌘K     command palette (also while typing; again to close)
 *   ?               the palette, with this list
 *   n               declare an incident (on the incident list)
 *   g then i        go to the incidents
 *   w               wall display of the incident on screen
 *   / or e          the timeline's quick entry (QuickEntry listens for these itself)
 *   s               star or unstar the timeline entry that has focus
 *   Alt+0 … Alt+3   set the severity P0 … P3 (incident screen)
 *   Alt+N           next phase (incident screen)
 *
 * Invariants:
 * - No shortcut but Ctrl+K fires while the person types in a text field.
 * - Single keys never fire with Ctrl, ⌘ or Alt held (those belong to the browser and the operating
 *   system); the Alt chords are read by physical key (`event.code`), since Alt changes the character
 *   typed on a Mac keyboard.
 * - A shortcut that acts on a control presses the control that declares it in `aria-keyshortcuts`,
 *   so the key and the button can never disagree, and where the button is not shown (a read-only
 *   view) the key does nothing. The severity chords set a select, which cannot be pressed: they
 *   check the same right to write the select is enabled by.
 */
import { SEVERITIES, type Severity } from '../../shared/playbook/schema';

export type ShortcutCommand =
  | 'toggle-palette'
  | 'open-help'
  | 'declare-incident'
  | 'go-to-incidents'
  | 'open-wall-display'
  | 'star-entry'
  | 'next-phase'
  | `set-severity-${Severity}`;

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
  { keys: 'S', description: 'Star or unstar the focused timeline entry' },
  { keys: 'Alt+0 … Alt+3', description: 'Set severity P0 … P3 (incident screen)' },
  { keys: 'Alt+N', description: 'Next phase (incident screen)' },
];

/** What the severity select and the "Next phase" button declare in aria-keyshortcuts. */
export const SEVERITY_SHORTCUTS = SEVERITIES.map((_, digit) => `Alt+${digit}`).join(' ');
export const NEXT_PHASE_SHORTCUT = 'Alt+N';
/** What each entry's star button declares; the key acts on the entry that has focus. */
export const STAR_SHORTCUT = 's';

/** The second key of a sequence (g i) must follow the first within this. */
export const SEQUENCE_TIMEOUT_MS = 1_000;
/** How long a shortcut waits for its control to appear after navigating to the screen that has it. */
export const TARGET_WAIT_MS = 2_000;
/** The timeline's quick entry focuses itself on this window event. */
export const FOCUS_QUICK_ENTRY_EVENT = 'sitrep:focus-quick-entry';
/** The incident header's sync status opens its share dialog on this window event (the palette's "Share incident…"). */
export const OPEN_SHARE_DIALOG_EVENT = 'sitrep:share-incident';
/** The incident header opens its export dialog on this window event (the palette's "Export incident…"). */
export const OPEN_EXPORT_DIALOG_EVENT = 'sitrep:export-incident';
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
      if (modified || event.repeat || isTypingTarget(event.target)) return null;
      if (event.altKey) return readAltChord(event.code);
      if (startedAt !== null && now() - startedAt <= SEQUENCE_TIMEOUT_MS) return event.key === 'i' ? 'go-to-incidents' : null;
      switch (event.key) {
        case '?':
          return 'open-help';
        case 'n':
          return 'declare-incident';
        case 'w':
          return 'open-wall-display';
        case STAR_SHORTCUT:
          return 'star-entry';
        case 'g':
          sequenceStartedAt = now();
          return null;
        default:
          return null;
      }
    },
  };
}

/** Alt+digit sets the severity of that number; Alt+N moves to the next phase. */
function readAltChord(code: string): ShortcutCommand | null {
  if (code === 'KeyN') return 'next-phase';
  const digit = /^Digit(\d)$/.exec(code)?.[1];
  const severity = digit === undefined ? undefined : SEVERITIES[Number(digit)];
  return severity ? `set-severity-${severity}` : null;
}

/** The severity a `set-severity-…` command sets, or null for any other command. */
export const severityOf = (command: ShortcutCommand): Severity | null => SEVERITIES.find((s) => command === `set-severity-${s}`) ?? null;

/** The timeline entry that holds focus (the entry itself or one of its buttons), if any. */
export function focusedTimelineEntry(): HTMLElement | null {
  const focused = document.activeElement;
  return focused instanceof HTMLElement ? focused.closest<HTMLElement>('[role="feed"] article') : null;
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
