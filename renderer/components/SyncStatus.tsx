import { useEffect, useState } from 'react';
import type { SyncStatus as SyncStatusView } from '../../shared/model/views';
import { OPEN_SHARE_DIALOG_EVENT } from '../app/shortcuts';
import { roughDuration, utcDateTime, utcMinute } from '../format/time';
import { useApi, useCanWrite, useNow, useSync } from '../state/console-stores';
import '../styles/sync.css';
import { MoveRelayDialog } from './MoveRelayDialog';
import { ShareDialog } from './ShareDialog';

/** A clock more than this far from the relay host's is pointed out (DESIGN.md §5 "Clocks"). */
export const CLOCK_SKEW_LIMIT_MS = 60_000;

type Tone = 'ok' | 'busy' | 'down' | 'none';

/** The state in a few words, and its colour. */
function describeState(status: SyncStatusView, now: number): { text: string; tone: Tone; detail?: string } {
  if (status.state === 'not-shared') return { text: 'not shared', tone: 'none' };
  if (status.state === 'live') return { text: 'live', tone: 'ok' };
  if (status.state === 'catching-up') {
    const progress = status.catchingUp;
    return { text: progress && progress.total > 0 ? `catching up ${progress.received} of ${progress.total}` : 'catching up', tone: 'busy' };
  }
  if (status.offlineSince !== null) {
    return {
      text: `offline since ${utcMinute(status.offlineSince)} (for ${roughDuration(Math.max(0, now - status.offlineSince))})`,
      tone: 'down',
      detail: `unreachable since ${utcDateTime(status.offlineSince)}${status.state === 'connecting' ? '; trying again' : ''}`,
    };
  }
  return status.state === 'connecting' ? { text: 'connecting', tone: 'busy' } : { text: 'offline', tone: 'down' };
}

/**
 * The sync line of the incident header: the relay, the connection (live, connecting, catching up
 * N of M, offline since when), this device's changes waiting to send, a clock that differs from
 * the relay host's, who else is online, and any alarm (equivocation, a cloned identity) as a
 * banner. Where this view may write, "Share…" opens the share dialog; any member's own console
 * (observers too, not the wall) may follow the incident to another relay with "Move to relay…".
 */
export function SyncStatus({ incidentId }: { incidentId: string }) {
  const status = useSync((s) => (s.incidentId === incidentId ? s.status : null));
  const deviceId = useSync((s) => s.deviceId);
  const canWrite = useCanWrite();
  // A member's own console: moving changes only where this device syncs, so observers may too.
  const ownConsole = useApi().access === 'write';
  const now = useNow();
  const [sharing, setSharing] = useState(false);
  const [moving, setMoving] = useState(false);

  useEffect(() => {
    if (!canWrite) return;
    const open = () => setSharing(true);
    window.addEventListener(OPEN_SHARE_DIALOG_EVENT, open);
    return () => window.removeEventListener(OPEN_SHARE_DIALOG_EVENT, open);
  }, [canWrite]);

  if (!status) return null;
  const state = describeState(status, now);
  const others = status.online.filter((d) => d.deviceId !== deviceId);
  const offset = status.clockOffsetMs;
  const skewed = offset !== null && Math.abs(offset) > CLOCK_SKEW_LIMIT_MS;
  const shared = status.relay !== null;

  return (
    <section className="sync-status" aria-label="Sync">
      {status.alarms.length > 0 && (
        <div role="alert" className="sync-alarm">
          <strong>Sync alarm: look into this before trusting the record.</strong>
          <ul>
            {status.alarms.map((alarm) => (
              <li key={alarm}>{alarm}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="sync-line">
        <span className="clock-label">Sync</span>
        <span className={`sync-state sync-state-${state.tone}`} title={state.detail}>
          {state.text}
        </span>
        {shared && (
          <span className="sync-relay">
            relay <code>{status.relay}</code>
          </span>
        )}
        {status.pendingOps > 0 && (
          <span className="sync-pending">
            {status.pendingOps} change{status.pendingOps === 1 ? '' : 's'} waiting to send
          </span>
        )}
        {skewed && (
          <span className="sync-clock-skew">
            Your clock differs from the relay host by {roughDuration(offset)} ({offset > 0 ? 'ahead' : 'behind'})
          </span>
        )}
        {shared && others.length > 0 && (
          <span className="sync-online">
            Also online: {others.map((d) => d.name).join(', ')}
          </span>
        )}
        {shared && status.state !== 'live' && status.lastError && (
          <span className="muted sync-last-error" title={status.lastError.code}>
            last error: {status.lastError.message}
          </span>
        )}
        {ownConsole && status.relay !== null && (
          <button type="button" className="sync-move" aria-haspopup="dialog" onClick={() => setMoving(true)}>
            Move to relay…
          </button>
        )}
        {canWrite && (
          <button type="button" className="sync-share" aria-haspopup="dialog" onClick={() => setSharing(true)}>
            Share…
          </button>
        )}
      </div>
      {canWrite && sharing && <ShareDialog incidentId={incidentId} onClose={() => setSharing(false)} />}
      {ownConsole && moving && status.relay !== null && <MoveRelayDialog incidentId={incidentId} relay={status.relay} onClose={() => setMoving(false)} />}
    </section>
  );
}
