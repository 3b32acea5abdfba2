import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_DOWN_SEVERITY, DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS, SOURCE_KINDS, type SourceKind } from '../../shared/model/metric-source';
import type { SourceView } from '../../shared/model/views';
import type { Playbook } from '../../shared/playbook/schema';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

const MS_PER_S = 1_000;

/** A device that can poll a source, as the "Polled by" choice names it. */
export interface PollerChoice {
  deviceId: string;
  label: string;
}

const KIND_LABELS: Record<SourceKind, string> = {
  'http-health': 'HTTP health check',
  'prometheus-scrape': 'Prometheus /metrics scrape',
  'prometheus-query': 'Prometheus query',
  csv: 'CSV import',
};

/** What the "Value" field means for each kind. */
const SELECTOR_HINTS: Record<SourceKind, string> = {
  'http-health': 'JSON path, e.g. checks.database.status (empty: response time)',
  'prometheus-scrape': 'metric name and labels, e.g. http_errors_ratio{job="api"}',
  'prometheus-query': 'PromQL, e.g. sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))',
  csv: 'not used',
};

/**
 * Adding or editing a metric source: what it is, where, which value, which playbook metric it
 * feeds and how (scale, sustain), and how often. The core refuses what does not make sense
 * (an interval under 1 s, an address that is not http(s)) and says where; the form shows it.
 * "Polled by" moves the source to another device of the roster: it stops polling here at once,
 * and polls there once someone turns polling on on that device (credentials never travel).
 */
export function SourceForm({
  incidentId,
  playbook,
  source,
  pollers = [],
  onSaved,
}: {
  incidentId: string;
  playbook: Playbook;
  source?: SourceView;
  /** The devices that may poll it; empty leaves the choice to the core (this device for a new source). */
  pollers?: readonly PollerChoice[];
  onSaved(): void;
}) {
  const api = useApi();
  const { run, error } = useActionError();
  const intervalHintId = useId();
  const initial = source?.config;
  const [name, setName] = useState(initial?.name ?? '');
  const [kind, setKind] = useState<SourceKind>(initial?.kind ?? 'http-health');
  const [address, setAddress] = useState(initial?.address ?? '');
  const [selector, setSelector] = useState(initial?.selector ?? '');
  const [metric, setMetric] = useState(initial?.metric ?? playbook.metrics[0]?.id ?? '');
  const [intervalS, setIntervalS] = useState(String((initial?.intervalMs ?? DEFAULT_POLL_INTERVAL_MS) / MS_PER_S));
  const [scale, setScale] = useState(String(initial?.scale ?? 1));
  const [sustainS, setSustainS] = useState(String((initial?.sustainMs ?? 0) / MS_PER_S));
  const [downSeverity, setDownSeverity] = useState(initial?.downSeverity ?? DEFAULT_DOWN_SEVERITY);
  const [pollerDevice, setPollerDevice] = useState(initial?.pollerDevice ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const config = {
      name,
      kind,
      address,
      selector,
      metric,
      intervalMs: Math.round(Number(intervalS) * MS_PER_S),
      scale: Number(scale),
      sustainMs: Math.round(Number(sustainS) * MS_PER_S),
      downSeverity,
      ...(pollerDevice ? { pollerDevice } : {}),
    };
    const saved = await run(() => api.invoke('sources.save', { incidentId, sourceId: source?.id, config }));
    if (saved) onSaved();
  };

  return (
    <form className="source-form" aria-label={source ? `Edit source ${source.config.name}` : 'Add a source'} onSubmit={submit}>
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as SourceKind)}>
          {SOURCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {kind !== 'csv' && (
        <>
          <label>
            Address
            <input value={address} placeholder="http://127.0.0.1:9090" onChange={(e) => setAddress(e.target.value)} />
          </label>
          <label>
            Value
            <input value={selector} placeholder={SELECTOR_HINTS[kind]} onChange={(e) => setSelector(e.target.value)} />
          </label>
          <label>
            Interval (s)
            <input type="number" step="any" value={intervalS} aria-describedby={intervalHintId} onChange={(e) => setIntervalS(e.target.value)} />
            <span id={intervalHintId} className="muted">
              at least {MIN_POLL_INTERVAL_MS / MS_PER_S} s
            </span>
          </label>
        </>
      )}
      <label>
        Feeds metric
        <select value={metric} onChange={(e) => setMetric(e.target.value)}>
          {playbook.metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title} ({m.unit})
            </option>
          ))}
        </select>
      </label>
      <label>
        Scale (× reading)
        <input type="number" step="any" value={scale} onChange={(e) => setScale(e.target.value)} />
      </label>
      <label>
        Sustain (s)
        <input type="number" min={0} step="any" value={sustainS} onChange={(e) => setSustainS(e.target.value)} />
      </label>
      <label>
        Down suggests
        <select value={downSeverity} onChange={(e) => setDownSeverity(e.target.value as typeof downSeverity)}>
          {playbook.severities.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
      </label>
      {kind !== 'csv' && pollers.length > 0 && (
        <label>
          Polled by
          {/* Nothing chosen yet (a new source) shows the first choice, this device: the core's default. */}
          <select value={pollerDevice || pollers[0].deviceId} onChange={(e) => setPollerDevice(e.target.value)}>
            {pollers.map((p) => (
              <option key={p.deviceId} value={p.deviceId}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="primary">
        {source ? 'Save source' : 'Add source'}
      </button>
      <ActionError error={error} />
    </form>
  );
}
