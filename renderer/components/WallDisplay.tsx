import { useEffect, useMemo, useState } from 'react';
import { formatDuration, incidentAge } from '../../shared/model/incident-clock';
import type { IncidentState } from '../../shared/model/incident';
import { MS_PER_MINUTE } from '../../shared/model/milestone-times';
import { phaseWindow } from '../../shared/model/phase-window';
import { tightestRto } from '../../shared/model/recovery-objectives';
import { regulatoryClock } from '../../shared/model/regulatory-clock';
import { nextUpdateDue } from '../../shared/model/update-cadence';
import { validationTimers, type ValidationTimer } from '../../shared/model/validation-timers';
import type { IncidentSummary, TimelineEntryView } from '../../shared/model/views';
import { localClock, utcClock, utcDateTime } from '../format/time';
import { useIncidentList, useNow, useOpenIncident, useOpenIncidentInStores, useStores, useTimeline } from '../state/console-stores';
import { TIMELINE_PAGE } from '../state/timeline-store';
import '../styles/wall.css';
import { SeverityBadge } from './SeverityBadge';

/** How many of the latest timeline entries the wall shows: what fits at 1080p in large type. */
export const WALL_ENTRIES = 15;
/** A clock turns amber with this little left. */
const CLOCK_WARNING_MS = 5 * MS_PER_MINUTE;
const PERCENT = 100;

type ClockTone = 'ok' | 'warning' | 'overdue';
const toneOf = (remainingMs: number): ClockTone => (remainingMs < 0 ? 'overdue' : remainingMs < CLOCK_WARNING_MS ? 'warning' : 'ok');

const isActive = (incident: IncidentSummary) => incident.status === 'active' || incident.status === 'mitigated';

/** The incident the wall follows when the route names none: the most recently declared active one. */
function useMostRecentActiveIncident(): { incidentId: string | null; loaded: boolean } {
  const { incidents } = useStores();
  const list = useIncidentList((s) => s.incidents);
  const loaded = useIncidentList((s) => s.loaded);
  useEffect(() => {
    if (!incidents.getState().loaded) void incidents.getState().refresh();
  }, [incidents]);
  const latest = list.filter(isActive).reduce<IncidentSummary | null>((best, i) => (!best || i.declaredAt > best.declaredAt ? i : best), null);
  return { incidentId: latest?.id ?? null, loaded };
}

/**
 * The war-room screen: one incident in large type, read-only, updating live. It shows what the room
 * needs at a glance (severity, status, phase, clocks, who holds which role, validation limits, the
 * latest entries) and nothing that writes, links or shares a secret: no buttons, no inputs, no links,
 * nothing of the communications panel.
 */
export function WallDisplay({ incidentId }: { incidentId: string | null }) {
  const mostRecent = useMostRecentActiveIncident();
  const shownId = incidentId ?? mostRecent.incidentId;
  if (!shownId) {
    return (
      <main className="wall-display wall-calm" aria-label="Wall display" aria-busy={!mostRecent.loaded}>
        {mostRecent.loaded && <p className="wall-calm-message">No active incident</p>}
        <WallTime />
      </main>
    );
  }
  return <WallIncident key={shownId} incidentId={shownId} />;
}

/** Opens the incident in the console's stores (as the incident screen does) and shows it. */
function WallIncident({ incidentId }: { incidentId: string }) {
  const state = useOpenIncident((s) => s.view?.state ?? null);
  const error = useOpenIncident((s) => s.error);

  useOpenIncidentInStores(incidentId);

  if (error) {
    return (
      <main className="wall-display wall-calm" aria-label="Wall display">
        <p className="wall-calm-message" role="alert">
          {error}
        </p>
      </main>
    );
  }
  if (!state) return <main className="wall-display" aria-label="Wall display" aria-busy="true" />;
  return (
    <main className="wall-display" aria-label="Wall display">
      <WallHeader state={state} />
      <WallClocks state={state} />
      <div className="wall-grid">
        <WallRoster />
        <WallValidation state={state} />
        <WallTimeline />
      </div>
    </main>
  );
}

/** The time of day in UTC and local, so the room reads every clock against the same "now". */
function WallTime() {
  const now = useNow();
  return (
    <p className="wall-time">
      <span className="wall-time-utc">{utcClock(now)}</span> <span className="wall-time-local">{localClock(now)} local</span>
    </p>
  );
}

function WallHeader({ state }: { state: IncidentState }) {
  const now = useNow();
  const phase = phaseWindow(state, now);
  return (
    <header className="wall-header">
      <SeverityBadge severity={state.severity} playbook={state.playbook} large />
      <div className="wall-heading">
        <h1 className="wall-title">
          {state.title}
          {state.drill && <span className="drill-mark wall-drill">DRILL</span>}
        </h1>
        <p className="wall-status-line">
          <span className={`wall-status wall-status-${state.status}`}>{state.status}</span>
          <span className="wall-phase">
            {phase?.title ?? state.phase}{' '}
            {phase && (
              <span className={phase.overdue ? 'overdue' : 'muted'}>
                {phase.overdue
                  ? `window overdue by ${formatDuration(phase.overdueByMs)}`
                  : `${Math.round(Math.min(1, phase.fractionOfWindow) * PERCENT)} % of window, ends ${utcClock(phase.windowEndAt)}`}
              </span>
            )}
          </span>
        </p>
      </div>
      <WallTime />
    </header>
  );
}

function WallClock({ label, value, tone = 'ok', detail }: { label: string; value: string; tone?: ClockTone; detail: string }) {
  return (
    <div className={`wall-clock wall-clock-${tone}`} role="timer" aria-label={label}>
      <span className="wall-clock-label">{label}</span>
      <span className="wall-clock-value">{value}</span>
      <span className="wall-clock-detail">{detail}</span>
    </div>
  );
}

function WallClocks({ state }: { state: IncidentState }) {
  const now = useNow();
  const next = nextUpdateDue(state, now);
  const rto = tightestRto(state, now);
  const regulatory = regulatoryClock(state, now);
  return (
    <section className="wall-clocks" aria-label="Clocks">
      <WallClock label="Incident age" value={formatDuration(incidentAge(state, now))} detail={`detected ${utcDateTime(state.milestones.detected?.at ?? state.declaredAt)}`} />
      {next && (
        <WallClock
          label="Next update due"
          value={next.overdue ? `overdue ${formatDuration(-next.remainingMs)}` : formatDuration(next.remainingMs)}
          tone={toneOf(next.remainingMs)}
          detail={`due ${utcClock(next.dueAt)}`}
        />
      )}
      {rto && (
        <WallClock
          label={`RTO ${rto.system}`}
          value={rto.met ? 'met' : rto.breached ? `missed ${formatDuration(-rto.remainingMs)}` : formatDuration(rto.remainingMs)}
          tone={rto.met ? 'ok' : toneOf(rto.remainingMs)}
          detail={`deadline ${utcDateTime(rto.deadline)}`}
        />
      )}
      {regulatory && (
        <WallClock
          label="72-hour notice"
          value={regulatory.overdue ? `overdue ${formatDuration(-regulatory.remainingMs)}` : formatDuration(regulatory.remainingMs)}
          tone={toneOf(regulatory.remainingMs)}
          detail={`report by ${utcDateTime(regulatory.deadline)}`}
        />
      )}
    </section>
  );
}

/** Who holds which role; the roles nobody holds yet fit on one line, so a long roster still fits. */
function WallRoster() {
  const roles = useOpenIncident((s) => s.roster?.roles) ?? [];
  const held = roles.filter((role) => role.holder);
  const open = roles.filter((role) => !role.holder);
  return (
    <section className="wall-panel wall-roster" aria-label="Roster">
      <h2>Roster</h2>
      <dl>
        {held.map((role) => (
          <div key={role.roleId} className="wall-role">
            <dt>{role.title}</dt>
            <dd>
              {role.holder?.name}
              {role.conflicted && <span className="concurrent-mark"> changed concurrently</span>}
            </dd>
          </div>
        ))}
      </dl>
      {open.length > 0 && <p className="wall-unassigned muted">Unassigned: {open.map((role) => role.title).join(', ')}</p>}
    </section>
  );
}

function timerValue(timer: ValidationTimer): string {
  switch (timer.state) {
    case 'running':
      return `${formatDuration(timer.remainingMs ?? 0)} left`;
    case 'missed':
      return `missed by ${formatDuration(-(timer.remainingMs ?? 0))}`;
    case 'met':
      return 'met';
    case 'not-started':
      return 'not started';
    default:
      return 'no limit';
  }
}

function WallValidation({ state }: { state: IncidentState }) {
  const now = useNow();
  const timers = validationTimers(state, now).filter((t) => t.applies);
  return (
    <section className="wall-panel wall-validation" aria-label="Validation timers">
      <h2>Validation</h2>
      <ul>
        {timers.map((timer) => (
          <li key={timer.id} className={`wall-timer wall-timer-${timer.urgency}`}>
            <span className="wall-timer-title">{timer.title}</span>
            <span className="wall-timer-value">{timerValue(timer)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The latest entries, newest first; null while a reload has not brought them all back yet. */
function latestEntries(pages: ReadonlyMap<number, TimelineEntryView[]>, total: number): TimelineEntryView[] | null {
  const entries: TimelineEntryView[] = [];
  for (let index = total - 1; index >= Math.max(0, total - WALL_ENTRIES); index--) {
    const entry = pages.get(Math.floor(index / TIMELINE_PAGE))?.[index % TIMELINE_PAGE];
    if (!entry) return null;
    entries.push(entry);
  }
  return entries;
}

/** Kinds the room should tell apart at a glance; notes and system entries speak for themselves. */
const NOTABLE_KINDS: ReadonlySet<TimelineEntryView['kind']> = new Set(['action', 'decision', 'status-update', 'communication', 'metric-alert']);

function entryText(entry: TimelineEntryView): string {
  if (entry.redactedBy) return 'redacted';
  if (entry.relation === 'redacts') return `redacted an entry: ${entry.text}`;
  if (entry.relation === 'retracts') return `retracted an entry: ${entry.text}`;
  return entry.text;
}

function WallTimeline() {
  const { timeline } = useStores();
  const total = useTimeline((s) => s.total);
  const pages = useTimeline((s) => s.pages);
  const latest = useMemo(() => latestEntries(pages, total), [pages, total]);
  // Keeps the last complete list on screen while a reload is in flight, so the wall never blinks.
  const [shown, setShown] = useState<TimelineEntryView[]>([]);

  useEffect(() => {
    if (total > 0) void timeline.getState().ensureRange(Math.max(0, total - WALL_ENTRIES), total - 1);
  }, [total, timeline]);
  useEffect(() => {
    if (latest) setShown(latest);
  }, [latest]);

  return (
    <section className="wall-panel wall-timeline" aria-label="Latest entries">
      <h2>Latest</h2>
      {shown.length === 0 && <p className="muted">No entries yet.</p>}
      <ol>
        {shown.map((entry) => (
          <li key={entry.id} className={`wall-entry wall-entry-${entry.kind}${entry.retractedBy ? ' wall-entry-retracted' : ''}`}>
            <time className="wall-entry-time" dateTime={new Date(entry.occurredAt).toISOString()}>
              {utcClock(entry.occurredAt)}
            </time>
            {entry.source === 'entry' && <span className="wall-entry-by">{entry.by}</span>}
            {NOTABLE_KINDS.has(entry.kind) && <span className="wall-entry-kind">{entry.kind}</span>}
            <span className={entry.redactedBy ? 'wall-entry-text muted' : 'wall-entry-text'}>{entryText(entry)}</span>
            {entry.retractedBy && <span className="wall-entry-mark">retracted</span>}
            {entry.supersededBy && <span className="wall-entry-mark">amended</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
