import { formatDuration, incidentAge } from '../../shared/model/incident-clock';
import { INCIDENT_STATUSES } from '../../shared/model/incident';
import { phaseWindow } from '../../shared/model/phase-window';
import { tightestRto } from '../../shared/model/recovery-objectives';
import { regulatoryClock } from '../../shared/model/regulatory-clock';
import { nextUpdateDue } from '../../shared/model/update-cadence';
import type { IncidentView } from '../../shared/model/views';
import { SEVERITIES, type Severity } from '../../shared/playbook/schema';
import { NEXT_PHASE_SHORTCUT, SEVERITY_SHORTCUTS } from '../app/shortcuts';
import { utcDateTime } from '../format/time';
import { useAction, useApi, useCanWrite, useNow } from '../state/console-stores';
import { ReportActions } from './ReportActions';
import { ImpactDetails } from './ImpactDetails';
import { SeverityBadge } from './SeverityBadge';
import { SyncStatus } from './SyncStatus';

function Clock({ label, value, tone, detail }: { label: string; value: string; tone?: 'ok' | 'warning' | 'overdue'; detail?: string }) {
  return (
    <div className={`clock clock-${tone ?? 'ok'}`} role="timer" aria-label={label} title={detail}>
      <span className="clock-label">{label}</span>
      <span className="clock-value">{value}</span>
    </div>
  );
}

const WARNING_MS = 5 * 60_000;
const toneOf = (remainingMs: number): 'ok' | 'warning' | 'overdue' => (remainingMs < 0 ? 'overdue' : remainingMs < WARNING_MS ? 'warning' : 'ok');

/**
 * The header of the incident screen: what it is, how bad, where in the procedure, and the clocks
 * that matter (incident age, phase window, next update due, tightest RTO, 72-hour breach clock), and
 * how it syncs with the others.
 */
export function IncidentHeader({ view }: { view: IncidentView }) {
  const api = useApi();
  const act = useAction();
  const now = useNow();
  const { state } = view;
  const incidentId = state.id;
  const canWrite = useCanWrite();
  const phase = phaseWindow(state, now);
  const phases = state.playbook.phases;
  const isLastPhase = phases[phases.length - 1]?.id === state.phase;
  const next = nextUpdateDue(state, now);
  const rto = tightestRto(state, now);
  const regulatory = regulatoryClock(state, now);
  const concurrently = (field: string) => view.concurrentlyChanged.includes(field);

  return (
    <header className="incident-header">
      <div className="incident-title-row">
        <SeverityBadge severity={state.severity} playbook={state.playbook} large />
        <h1>{state.title}</h1>
        {state.drill && <span className="drill-mark">DRILL</span>}
        {!canWrite && <span className="read-only-mark">read only</span>}
        <ReportActions state={state} />
      </div>
      <SyncStatus incidentId={incidentId} />
      <div className="incident-controls">
        <label>
          Severity
          <select
            value={state.severity}
            disabled={!canWrite}
            aria-keyshortcuts={SEVERITY_SHORTCUTS}
            onChange={(e) => act(() => api.invoke('incidents.setField', { incidentId, field: 'severity', value: e.target.value as Severity }))}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {concurrently('severity') && <span className="concurrent-mark">changed concurrently</span>}
        </label>
        <label>
          Status
          <select
            value={state.status}
            disabled={!canWrite}
            onChange={(e) => act(() => api.invoke('incidents.setField', { incidentId, field: 'status', value: e.target.value }))}
          >
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {concurrently('status') && <span className="concurrent-mark">changed concurrently</span>}
        </label>
        <div className="phase-indicator">
          <span className="clock-label">Phase</span>
          <strong>{phase?.title ?? state.phase}</strong>
          {phase && (
            <span className={phase.overdue ? 'overdue' : 'muted'}>
              {phase.overdue
                ? `overdue by ${formatDuration(phase.overdueByMs)}`
                : `${Math.round(Math.min(1, phase.fractionOfWindow) * 100)} % of window (ends ${utcDateTime(phase.windowEndAt)})`}
            </span>
          )}
          {canWrite && !isLastPhase && (
            <button type="button" aria-keyshortcuts={NEXT_PHASE_SHORTCUT} onClick={() => act(() => api.invoke('incidents.advancePhase', { incidentId }))}>
              Next phase
            </button>
          )}
        </div>
      </div>
      <div className="clocks">
        <Clock label="Incident age" value={formatDuration(incidentAge(state, now))} detail={`detected ${utcDateTime(state.milestones.detected?.at ?? state.declaredAt)}`} />
        {next && (
          <Clock
            label="Next update due"
            value={next.overdue ? `overdue ${formatDuration(-next.remainingMs)}` : formatDuration(next.remainingMs)}
            tone={toneOf(next.remainingMs)}
            detail={`due ${utcDateTime(next.dueAt)}`}
          />
        )}
        {rto && (
          <Clock
            label={`RTO ${rto.system}`}
            value={rto.met ? 'met' : rto.breached ? `missed ${formatDuration(-rto.remainingMs)}` : formatDuration(rto.remainingMs)}
            tone={rto.met ? 'ok' : toneOf(rto.remainingMs)}
            detail={`deadline ${utcDateTime(rto.deadline)}`}
          />
        )}
        {regulatory && (
          <Clock
            label="72-hour notice"
            value={regulatory.overdue ? `overdue ${formatDuration(-regulatory.remainingMs)}` : formatDuration(regulatory.remainingMs)}
            tone={toneOf(regulatory.remainingMs)}
            detail={`report to authorities by ${utcDateTime(regulatory.deadline)}`}
          />
        )}
      </div>
      <ImpactDetails state={state} />
      {view.unknownOps > 0 && (
        <p className="warning" role="status">
          {view.unknownOps} change{view.unknownOps === 1 ? '' : 's'} from a newer Sitrep cannot be shown here: update this device.
        </p>
      )}
    </header>
  );
}
