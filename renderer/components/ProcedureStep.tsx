import { useId, useState, type FormEvent } from 'react';
import type { ResponseStepView } from '../../shared/model/views';
import { utcClock } from '../format/time';
import { useAction, useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

const STATE_LABELS: Record<ResponseStepView['state'], string> = { open: 'to do', done: 'done', skipped: 'skipped' };

/**
 * One procedure step: what to do by hand, then Done (with an optional note) or Skip (a reason is
 * required before the skip is sent), and who did it when; a done or skipped step can be reopened.
 */
export function ProcedureStep({ step, incidentId, canWrite }: { step: ResponseStepView; incidentId: string; canWrite: boolean }) {
  const api = useApi();
  const act = useAction();
  const { run, error } = useActionError();
  const titleId = useId();
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const stepId = step.id;

  const skip = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api.invoke('steps.skip', { incidentId, stepId, reason }))) {
      setSkipping(false);
      setReason('');
    }
  };

  return (
    <li className={`procedure-step step-${step.state}`} aria-labelledby={titleId}>
      <div className="step-heading">
        <span id={titleId} className="step-title">
          {step.title}
        </span>
        <span className="step-state">{STATE_LABELS[step.state]}</span>
      </div>
      <p className="step-description">{step.description}</p>
      {step.state === 'open' ? (
        <p className="step-prompt muted">{step.prompt}</p>
      ) : (
        <p className="step-progress">
          {step.state === 'done' ? 'Done' : 'Skipped'} by {step.by} at {step.at !== null ? utcClock(step.at) : '?'}
          {step.note ? ` — ${step.state === 'skipped' ? 'reason: ' : ''}${step.note}` : ''}
          {step.conflicted && <span className="concurrent-mark"> changed concurrently</span>}
        </p>
      )}
      {canWrite && step.state === 'open' && !skipping && (
        <div className="step-actions">
          <button type="button" aria-label={`Mark ${step.title} done`} onClick={() => void act(() => api.invoke('steps.done', { incidentId, stepId }))}>
            Done
          </button>
          <button type="button" aria-label={`Skip ${step.title}`} onClick={() => setSkipping(true)}>
            Skip…
          </button>
        </div>
      )}
      {canWrite && skipping && (
        <form className="step-skip" aria-label={`Skip ${step.title}`} onSubmit={(e) => void skip(e)}>
          <label>
            Why skip it?
            <input value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
          </label>
          <button type="submit">Skip step</button>
          <button type="button" onClick={() => setSkipping(false)}>
            Keep it
          </button>
          <ActionError error={error} />
        </form>
      )}
      {canWrite && step.state !== 'open' && (
        <div className="step-actions">
          <button type="button" aria-label={`Reopen ${step.title}`} onClick={() => void act(() => api.invoke('steps.reopen', { incidentId, stepId }))}>
            Reopen
          </button>
        </div>
      )}
    </li>
  );
}
