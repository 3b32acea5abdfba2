import { useEffect, useState } from 'react';
import { dueAlerts, type DueAlert } from '../../shared/model/due-alerts';
import { MS_PER_MINUTE } from '../../shared/model/milestone-times';
import {
  createDesktopNotifier,
  loadSoundPreference,
  notificationAccess,
  saveSoundPreference,
  type DesktopNotifier,
} from '../notifications/desktop-notifier';
import { useNow, useOpenIncident, useStores, type ConsoleStores } from '../state/console-stores';

/** How long before a status update is due to warn (the header's clock turns amber at the same point). */
export const UPDATE_WARNING_MS = 5 * MS_PER_MINUTE;

/**
 * One notifier per console (per set of stores), so leaving the incident screen and coming back
 * does not repeat what was already said.
 */
const notifiers = new WeakMap<ConsoleStores, DesktopNotifier>();

function notifierFor(stores: ConsoleStores): DesktopNotifier {
  let notifier = notifiers.get(stores);
  if (!notifier) {
    const inConsole = (alert: DueAlert) =>
      stores.notices.getState().push(alert.urgency === 'overdue' ? 'error' : 'info', `${alert.title}. ${alert.message}`);
    notifier = createDesktopNotifier({ fallback: inConsole, soundOn: loadSoundPreference });
    notifiers.set(stores, notifier);
  }
  return notifier;
}

/**
 * Desktop notifications for the open incident: at every clock tick, what is due (an update, a
 * validation limit, the breach clock) is raised once per alert; plus the "Sound" toggle.
 */
export function DueNotifications() {
  const stores = useStores();
  const incident = useOpenIncident((s) => s.view?.state ?? null);
  const now = useNow();
  const [soundOn, setSoundOn] = useState(loadSoundPreference);

  useEffect(() => {
    if (!incident) return;
    void notifierFor(stores).notify(dueAlerts(incident, now, { warnBeforeMs: UPDATE_WARNING_MS }));
  }, [incident, now, stores]);

  // Read at each render (the clock re-renders every second), so a permission granted or refused shows.
  const access = notificationAccess();

  const toggleSound = (on: boolean) => {
    saveSoundPreference(on);
    setSoundOn(on);
  };

  return (
    <div className="due-notifications">
      <label className="inline" title="A short beep with each desktop notification">
        <input type="checkbox" checked={soundOn} onChange={(e) => toggleSound(e.target.checked)} />
        Sound
      </label>
      {(access === 'denied' || access === 'unsupported') && (
        <span className="muted">Desktop notifications are off here: due alerts appear in the console instead.</span>
      )}
    </div>
  );
}
