import { useId } from 'react';
import type { ResponseStepView } from '../../shared/model/views';
import { utcClock } from '../format/time';
import { canHold } from '../../shared/model/directory';
import { useCanWrite, useOpenIncident } from '../state/console-stores';
import { useDirectoryPeople } from '../state/use-directory-people';
import '../styles/procedure-steps.css';
import { ProcedureStep } from './ProcedureStep';

/** Steps grouped by the severity whose declaration or escalation added them, oldest first. */
function bySeverity(steps: ResponseStepView[]): Array<[string, ResponseStepView[]]> {
  const groups = new Map<string, ResponseStepView[]>();
  for (const step of steps) {
    if (step.severity === null) continue;
    groups.set(step.severity, [...(groups.get(step.severity) ?? []), step]);
  }
  return [...groups];
}

/**
 * The severity's response actions and notification policy as tracked steps: added on declaring and
 * on each escalation, done by whom and when, or skipped with a reason. Sitrep sends nothing: each
 * step says what a person does by hand.
 */
export function ResponseSteps() {
  const incidentId = useOpenIncident((s) => s.incidentId);
  const steps = useOpenIncident((s) => s.steps);
  const canWrite = useCanWrite();
  const headingId = useId();
  const directory = useDirectoryPeople();
  const roles = useOpenIncident((s) => s.view?.state.playbook.roles);
  if (!incidentId) return null;
  // With no network, notifying is a phone call: the directory's primary-team people and their numbers.
  const primaryRoles = (roles ?? []).filter((r) => r.team === 'primary');
  const toCall = directory.filter((e) => e.phone && primaryRoles.some((r) => canHold(e, { roleId: r.id, title: r.title })));
  const notifying = steps.some((s) => s.notifiesTeam && s.state === 'open');
  const groups = bySeverity(steps);
  const open = steps.filter((s) => s.severity !== null && s.state === 'open').length;

  return (
    <section className="panel response-steps" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Response actions <span className="phase-count">{open} to do</span>
      </h2>
      {groups.length === 0 && <p className="muted">No response actions for this severity.</p>}
      {notifying && toCall.length > 0 && (
        <section className="step-call-list" aria-label="Who to call">
          <h3>Who to call (team directory)</h3>
          <ul>
            {toCall.map((e) => (
              <li key={e.id}>
                {e.name} <span className="muted">({e.roles.join(', ')})</span> <a href={`tel:${e.phone.replace(/[^\d+]/g, '')}`}>{e.phone}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {groups.map(([severity, list]) => (
        <section key={severity} aria-label={`${severity} response`}>
          <h3>
            {severity} response <span className="muted">(from {utcClock(list[0].triggeredAt)})</span>
          </h3>
          <ul className="procedure-steps">
            {list.map((step) => (
              <ProcedureStep key={step.id} step={step} incidentId={incidentId} canWrite={canWrite} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
