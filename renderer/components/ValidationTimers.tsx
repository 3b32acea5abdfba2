import { useId, useState, type FormEvent } from 'react';
import { formatDuration } from '../../shared/model/incident-clock';
import type { IncidentState } from '../../shared/model/incident';
import { validationTimers, type ValidationTimer } from '../../shared/model/validation-timers';
import { MILESTONE_TITLES } from '../../shared/model/milestone-titles';
import { MILESTONES, type Milestone, type ValidationItem } from '../../shared/playbook/schema';
import { fromLocalInput, toLocalInput, utcClock, utcDateTime } from '../format/time';
import { useAction, useActionError, useApi, useCanWrite, useNow, useOpenIncident } from '../state/console-stores';
import '../styles/validation-timers.css';
import { ActionError } from './ActionError';

/** The milestones no default rule sets: a person says when they happened (DESIGN.md §4). */
const EXPLICIT_MILESTONES = ['teamNotified', 'rootCauseIdentified'] as const satisfies readonly Milestone[];

type Tone = 'ok' | 'warning' | 'breached' | 'muted';

function toneOf(timer: ValidationTimer): Tone {
  if (timer.state === 'running' || timer.state === 'met' || timer.state === 'missed') return timer.urgency;
  return 'muted';
}

/** What the clock says, in words, so its state reads without its colour. */
function statusOf(timer: ValidationTimer, item: ValidationItem | undefined): string {
  switch (timer.state) {
    case 'running':
      return `${formatDuration(timer.remainingMs ?? 0)} left${timer.urgency === 'warning' ? ' · due soon' : ''}`;
    case 'met':
      return `met at ${utcClock(timer.endAt ?? 0)} (took ${formatDuration(timer.elapsedMs ?? 0)})`;
    case 'missed':
      return timer.endAt === undefined
        ? `missed · overdue ${formatDuration(-(timer.remainingMs ?? 0))}`
        : `missed at ${utcClock(timer.endAt)} (${formatDuration(-(timer.remainingMs ?? 0))} late)`;
    case 'not-started':
      return item ? `starts at ${MILESTONE_TITLES[item.start].toLowerCase()}` : 'not started';
    case 'no-limit':
      return 'no RTO for the affected systems';
    case 'not-applicable':
      return item ? `${item.severities.join('/')} only` : 'not for this severity';
  }
}

/**
 * The pinned playbook's validation checklist as live clocks: running ones count down (amber near
 * the limit, red past it), met and missed ones keep their time, ones for other severities say so.
 * Below them, the milestones a person sets ("Team notified", "Root cause identified") and the
 * editor for all nine.
 */
export function ValidationTimers() {
  const api = useApi();
  const act = useAction();
  const now = useNow();
  const view = useOpenIncident((s) => s.view);
  const canWrite = useCanWrite();
  const headingId = useId();

  if (!view) return null;
  const { state } = view;
  const incidentId = state.id;

  return (
    <section className="panel validation-timers" aria-labelledby={headingId}>
      <h2 id={headingId}>Validation</h2>
      <ul className="validation-list">
        {validationTimers(state, now).map((timer) => {
          const item = state.playbook.validation.find((v) => v.id === timer.id);
          const tone = toneOf(timer);
          return (
            <li key={timer.id} className={`validation-timer validation-${tone}`}>
              <div role="timer" aria-label={timer.title}>
                <span className="validation-title">{timer.title}</span>
                <span className="validation-status">{statusOf(timer, item)}</span>
                {timer.state === 'running' && timer.deadline !== undefined && (
                  <span className="muted validation-deadline">by {utcClock(timer.deadline)}</span>
                )}
                {timer.state === 'not-applicable' && <span className="muted validation-deadline">this incident is {state.severity}</span>}
              </div>
            </li>
          );
        })}
      </ul>
      <div className="milestone-actions">
        {EXPLICIT_MILESTONES.map((milestone) => {
          const at = state.milestones[milestone]?.at;
          if (at !== undefined) {
            return (
              <span key={milestone} className="milestone-set">
                {MILESTONE_TITLES[milestone]} · {utcClock(at)}
              </span>
            );
          }
          return (
            canWrite && (
              <button key={milestone} type="button" onClick={() => void act(() => api.invoke('incidents.setMilestone', { incidentId, milestone, at: now }))}>
                {MILESTONE_TITLES[milestone]}
              </button>
            )
          );
        })}
      </div>
      <MilestoneList state={state} canWrite={canWrite} />
    </section>
  );
}

function MilestoneList({ state, canWrite }: { state: IncidentState; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  return (
    <div className="milestone-list">
      <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {canWrite ? 'Edit milestones' : 'Milestones'}
      </button>
      {open && (
        <ul id={listId} aria-label="Milestones">
          {MILESTONES.map((milestone) => (
            <MilestoneRow key={`${milestone}@${state.milestones[milestone]?.at ?? 'unset'}`} state={state} milestone={milestone} canWrite={canWrite} />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * One milestone: its time (UTC), where it came from, and the form to change it. The reason a set
 * milestone needs is left for the core to insist on, so the refusal reads the same everywhere.
 */
function MilestoneRow({ state, milestone, canWrite }: { state: IncidentState; milestone: Milestone; canWrite: boolean }) {
  const api = useApi();
  const { run, error } = useActionError();
  const value = state.milestones[milestone];
  const label = MILESTONE_TITLES[milestone];
  const [time, setTime] = useState(value ? toLocalInput(value.at) : '');
  const [reason, setReason] = useState('');
  const rowId = useId();
  const incidentId = state.id;

  const save = (at: number | null) =>
    run(() => api.invoke('incidents.setMilestone', { incidentId, milestone, at, reason: reason.trim() || undefined })).then((done) => {
      if (done) setReason('');
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const at = fromLocalInput(time);
    if (at !== null) void save(at);
  };

  return (
    <li className="milestone" aria-labelledby={`${rowId}-label`}>
      <div className="milestone-value">
        <span id={`${rowId}-label`} className="milestone-label">
          {label}
        </span>
        <span className="milestone-time">{value ? utcDateTime(value.at) : <span className="muted">not set</span>}</span>
        {value && (
          <span className="muted milestone-source">
            {value.source === 'edited' ? `edited${value.reason ? `: ${value.reason}` : ''}` : 'default'}
          </span>
        )}
      </div>
      {canWrite && (
        <form className="milestone-edit" aria-label={`Change ${label}`} onSubmit={submit}>
          <input type="datetime-local" aria-label={`${label} time (local)`} value={time} onChange={(e) => setTime(e.target.value)} />
          <input
            aria-label={`Reason for changing ${label}`}
            aria-required={value !== undefined}
            placeholder={value ? 'reason (required)' : 'reason (optional)'}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" aria-label={`Save ${label}`} disabled={fromLocalInput(time) === null}>
            Save
          </button>
          {value?.source === 'edited' && (
            <button type="button" aria-label={`Clear edit of ${label}`} onClick={() => void save(null)}>
              Clear edit
            </button>
          )}
          <ActionError error={error} />
        </form>
      )}
    </li>
  );
}
