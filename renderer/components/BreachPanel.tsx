import { useId, useState, type FormEvent } from 'react';
import { legalRole } from '../../shared/model/breach';
import { formatDuration } from '../../shared/model/incident-clock';
import { regulatoryClock } from '../../shared/model/regulatory-clock';
import type { IncidentView, PersonView, ResponseStepView, RoleView } from '../../shared/model/views';
import { fromLocalInput, toLocalInput, utcDateTime } from '../format/time';
import { useActionError, useApi, useCanWrite, useNow, useOpenIncident } from '../state/console-stores';
import '../styles/procedure-steps.css';
import { ActionError } from './ActionError';
import { Dialog } from './Dialog';
import { ProcedureStep } from './ProcedureStep';

/**
 * Data breach handling: flagging asks for "aware at" (which starts the 72-hour regulatory clock) and
 * the data impact; once flagged, the seed's breach steps and HIPAA items are tracked here, and the
 * Legal role is suggested while nobody holds it.
 */
export function BreachPanel() {
  const view = useOpenIncident((s) => s.view);
  const steps = useOpenIncident((s) => s.steps);
  const roster = useOpenIncident((s) => s.roster);
  const canWrite = useCanWrite();
  const now = useNow();
  const headingId = useId();
  const [flagging, setFlagging] = useState(false);
  if (!view) return null;
  const { state } = view;
  if (!state.breach.flagged && !canWrite) return null;

  const clock = regulatoryClock(state, now);
  const legal = legalRole(state.playbook);
  const legalView = roster?.roles.find((r) => r.roleId === legal?.id);
  const group = (g: ResponseStepView['group']) => steps.filter((s) => s.group === g);

  return (
    <section className={`panel breach-panel${state.breach.flagged ? ' breach-flagged' : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId}>Data breach</h2>
      {!state.breach.flagged ? (
        <button type="button" onClick={() => setFlagging(true)}>
          Flag a data breach…
        </button>
      ) : (
        <>
          <dl className="breach-facts">
            <dt>Aware at</dt>
            <dd>{state.breach.awareAt !== null ? utcDateTime(state.breach.awareAt) : 'not given'}</dd>
            {clock && (
              <>
                <dt>Report to authorities by</dt>
                <dd className={clock.overdue ? 'overdue' : undefined}>
                  {utcDateTime(clock.deadline)} ({clock.overdue ? `overdue ${formatDuration(-clock.remainingMs)}` : `${formatDuration(clock.remainingMs)} left`})
                </dd>
              </>
            )}
            <dt>Data affected</dt>
            <dd>{state.impact.data || <span className="muted">not recorded</span>}</dd>
            <dt>Users affected</dt>
            <dd>{state.impact.users || <span className="muted">not recorded</span>}</dd>
          </dl>
          {legalView && !legalView.holder && canWrite && <LegalSuggestion incidentId={state.id} role={legalView} people={(roster?.people ?? []).filter((p) => !p.removed)} />}
          <h3>Breach steps</h3>
          <ul className="procedure-steps">
            {group('breach').map((step) => (
              <ProcedureStep key={step.id} step={step} incidentId={state.id} canWrite={canWrite} />
            ))}
          </ul>
          <h3>HIPAA</h3>
          <ul className="procedure-steps">
            {group('hipaa').map((step) => (
              <ProcedureStep key={step.id} step={step} incidentId={state.id} canWrite={canWrite} />
            ))}
          </ul>
        </>
      )}
      {flagging && <FlagBreachDialog view={view} now={now} onClose={() => setFlagging(false)} />}
    </section>
  );
}

function LegalSuggestion({ incidentId, role, people }: { incidentId: string; role: RoleView; people: PersonView[] }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [personId, setPersonId] = useState('');
  return (
    <form
      className="breach-suggestion"
      aria-label={`Suggested: assign ${role.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => api.invoke('roster.assign', { incidentId, roleId: role.roleId, personId }));
      }}
    >
      <p>
        Suggested: give the {role.title} role ({role.holderTitle}) to someone, to notify legal counsel.
      </p>
      {people.length === 0 ? (
        <p className="muted">Add the person to the roster first.</p>
      ) : (
        <>
          <label>
            {role.title}
            <select value={personId} onChange={(e) => setPersonId(e.target.value)} required>
              <option value="">Choose…</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Assign {role.title}</button>
        </>
      )}
      <ActionError error={error} />
    </form>
  );
}

function FlagBreachDialog({ view, now, onClose }: { view: IncidentView; now: number; onClose(): void }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [awareAt, setAwareAt] = useState(() => toLocalInput(now));
  const [data, setData] = useState(view.state.impact.data);
  const [users, setUsers] = useState(view.state.impact.users);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const at = fromLocalInput(awareAt);
    const flagged = await run(async () => {
      if (at === null) throw new Error('Aware at: say when the organisation became aware of the breach');
      return api.invoke('incidents.flagBreach', { incidentId: view.state.id, awareAt: at, data, users });
    });
    if (flagged) onClose();
  };

  return (
    <Dialog title="Flag a data breach" onClose={onClose}>
      <form className="flag-breach" aria-label="Flag a data breach" onSubmit={(e) => void submit(e)}>
        <p>The 72-hour regulatory clock starts when the organisation became aware of the breach.</p>
        <label>
          Aware at (local time)
          <input type="datetime-local" value={awareAt} onChange={(e) => setAwareAt(e.target.value)} required />
        </label>
        <label>
          What data is affected
          <textarea value={data} onChange={(e) => setData(e.target.value)} />
        </label>
        <label>
          How many users
          <input value={users} onChange={(e) => setUsers(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Flag breach
        </button>
        <ActionError error={error} />
      </form>
    </Dialog>
  );
}
