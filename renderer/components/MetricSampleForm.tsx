import { useId, useState, type FormEvent } from 'react';
import type { Playbook } from '../../shared/playbook/schema';
import { fromLocalInput } from '../format/time';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

type Metric = Playbook['metrics'][number];

/**
 * A reading typed in by hand (someone read it off a dashboard the console cannot reach): metric,
 * value, and optionally when it was read; left empty, the time is now.
 */
export function MetricSampleForm({ incidentId, metrics }: { incidentId: string; metrics: readonly Metric[] }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [invalid, setInvalid] = useState<string | null>(null);
  const timeHintId = useId();
  const [metricId, setMetricId] = useState(metrics[0]?.id ?? '');
  const [value, setValue] = useState('');
  const [readAt, setReadAt] = useState('');
  const unit = metrics.find((m) => m.id === metricId)?.unit ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) {
      setInvalid('Value: must be a number');
      return;
    }
    setInvalid(null);
    const t = fromLocalInput(readAt) ?? undefined;
    const added = await run(() => api.invoke('samples.add', { incidentId, metric: metricId, value: number, t }));
    if (added) {
      setValue('');
      setReadAt('');
    }
  };

  return (
    <form className="metric-sample-form" aria-label="Add a metric sample" onSubmit={submit}>
      <label>
        Metric
        <select value={metricId} onChange={(e) => setMetricId(e.target.value)}>
          {metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Value{unit && ` (${unit})`}
        <input type="number" step="any" required value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <label>
        Time (optional)
        <input type="datetime-local" value={readAt} aria-describedby={timeHintId} onChange={(e) => setReadAt(e.target.value)} />
        <span id={timeHintId} className="muted metric-sample-hint">
          local time; now when empty
        </span>
      </label>
      <button type="submit">Add sample</button>
      <ActionError error={invalid ?? error} />
    </form>
  );
}
