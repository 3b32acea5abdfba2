import { useState, type FormEvent } from 'react';
import { SEVERITIES, type Playbook, type Severity } from '../../shared/playbook/schema';
import { incidentHref, navigate } from '../app/route';
import { fromLocalInput } from '../format/time';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

/**
 * Declaring an incident from the keyboard alone: title, severity (with the playbook's criteria for
 * each, so the commander classifies by the procedure), category, affected systems, impact start.
 */
export function DeclareIncidentForm({ playbook, onCancel }: { playbook: Playbook; onCancel(): void }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('P1');
  const [category, setCategory] = useState('');
  const [systems, setSystems] = useState<string[]>([]);
  const [impactStart, setImpactStart] = useState('');
  const [drill, setDrill] = useState(false);
  const definition = playbook.severities.find((s) => s.id === severity);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const declared = await run(() =>
      api.invoke('incidents.declare', {
        title,
        severity,
        category,
        affectedSystems: systems,
        impactStartedAt: fromLocalInput(impactStart),
        drill,
      }),
    );
    if (declared) navigate(incidentHref(declared.incidentId));
  };

  return (
    <form className="declare-form" aria-label="Declare incident" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h2>Declare an incident</h2>
      <label>
        Title
        <input autoFocus required value={title} onChange={(e) => setTitle(e.target.value)} placeholder="What is broken, in a few words" />
      </label>
      <fieldset className="severity-choice">
        <legend>Severity</legend>
        {SEVERITIES.map((s) => {
          const d = playbook.severities.find((x) => x.id === s);
          return (
            <label key={s} className="severity-option" style={{ borderColor: d?.colour }}>
              <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} />
              {s} {d?.label}
            </label>
          );
        })}
      </fieldset>
      {definition && (
        <section className="classification-helper" aria-label={`What makes an incident ${severity}`}>
          <p>
            <strong>
              {severity} {definition.label}:
            </strong>{' '}
            {definition.notification.description}
          </p>
          <ul>
            {definition.criteria.map((c) => (
              <li key={c.title}>
                <strong>{c.title}</strong>: {c.description}
              </li>
            ))}
          </ul>
        </section>
      )}
      <label>
        Category
        <select value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">(none)</option>
          {definition?.criteria.map((c) => (
            <option key={c.title} value={c.title}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Affected systems</legend>
        {playbook.recoveryObjectives.map((o) => (
          <label key={o.id} className="inline">
            <input
              type="checkbox"
              checked={systems.includes(o.id)}
              onChange={(e) => setSystems(e.target.checked ? [...systems, o.id] : systems.filter((x) => x !== o.id))}
            />
            {o.system} <span className="muted">(RTO {o.rtoMinutes / 60} h)</span>
          </label>
        ))}
      </fieldset>
      <label>
        Impact started (local time, optional)
        <input type="datetime-local" value={impactStart} onChange={(e) => setImpactStart(e.target.value)} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={drill} onChange={(e) => setDrill(e.target.checked)} />
        This is a drill
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          Declare
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}
