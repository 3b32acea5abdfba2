/**
 * Raises due alerts (shared/model/due-alerts.ts) as desktop notifications, each key once.
 *
 * - Permission is asked for the first time an alert needs it ('default'); when it is refused, or the
 *   platform has no Notification (Electron refuses every permission request, DESIGN.md §6), the alert
 *   goes to `fallback` instead (the console's in-app notices), so nothing due goes unsaid.
 * - A key is remembered before anything is awaited, so two ticks racing a permission prompt never
 *   raise it twice.
 * - An optional short beep (Web Audio, off unless the person turned "Sound" on) goes with each batch.
 */
import type { DueAlert } from '../../shared/model/due-alerts';

/** Where the "Sound" choice is kept on this device. */
export const SOUND_PREFERENCE_KEY = 'sitrep.notifications.sound';
const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;
const BEEP_GAIN = 0.2;

export type NotificationAccess = NotificationPermission | 'unsupported';

export interface DesktopNotifierOptions {
  /** Shows an alert in the console when no desktop notification can carry it. */
  fallback(alert: DueAlert): void;
  /** Read at each batch, so toggling "Sound" applies at once. */
  soundOn(): boolean;
}

export interface DesktopNotifier {
  /** Raises the alerts whose keys were never raised by this notifier. */
  notify(alerts: readonly DueAlert[]): Promise<void>;
}

export function notificationAccess(): NotificationAccess {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

async function permitted(): Promise<boolean> {
  const access = notificationAccess();
  if (access !== 'default') return access === 'granted';
  try {
    return (await Notification.requestPermission()) === 'granted';
  } catch {
    return false;
  }
}

export function loadSoundPreference(): boolean {
  try {
    return localStorage.getItem(SOUND_PREFERENCE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function saveSoundPreference(on: boolean): void {
  try {
    localStorage.setItem(SOUND_PREFERENCE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage can be refused (private mode): the choice then lasts for this window only.
  }
}

/** A short tone; silent where Web Audio is missing or refuses to start. */
export function playBeep(): void {
  if (typeof AudioContext === 'undefined') return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = BEEP_HZ;
    volume.gain.value = BEEP_GAIN;
    tone.connect(volume).connect(audio.destination);
    tone.onended = () => void audio.close();
    tone.start();
    tone.stop(audio.currentTime + BEEP_SECONDS);
  } catch {
    // A beep is a courtesy: the notification itself has been raised.
  }
}

export function createDesktopNotifier({ fallback, soundOn }: DesktopNotifierOptions): DesktopNotifier {
  const raised = new Set<string>();
  return {
    async notify(alerts) {
      const fresh = alerts.filter((alert) => !raised.has(alert.key));
      if (fresh.length === 0) return;
      for (const alert of fresh) raised.add(alert.key);
      if (soundOn()) playBeep();
      if (!(await permitted())) {
        fresh.forEach(fallback);
        return;
      }
      for (const alert of fresh) new Notification(alert.title, { body: alert.message, tag: alert.key });
    },
  };
}
