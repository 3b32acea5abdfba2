import { useEffect, useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../../shared/model/incident-clock';
import { MS_PER_MINUTE } from '../../shared/model/milestone-times';
import { monthsPeriod, type ReviewMetrics, type ValidationScore } from '../../shared/model/review-metrics';
import { SEVERITIES, type Severity } from '../../shared/playbook/schema';
import { incidentHref } from '../app/route';
import { utcDateTime } from '../format/time';
import { useApi } from '../state/console-stores';
import '../styles/review.css';

const CHART_HEIGHT_PX = 240;
/** The width drawn before the container is measured (and in tests, where nothing is). */
const CHART_INITIAL_WIDTH_PX = 640;
const CHART_MARGIN = { top: 8, right: 16, bottom: 4, left: 4 };
const GRID_DASH = '3 3';
const LINE_WIDTH_PX = 2;
const TOOLTIP_STYLE = { background: 'var(--panel-raised)', border: '1px solid var(--border)', color: 'var(--text)' };
/** One line per figure; colours from review.css variables, so they follow the theme. */
const TREND_LINES = [
  { key: 'mttd', name: 'MTTD', colour: 'var(--review-mttd)' },
  { key: 'mtta', name: 'MTTA', colour: 'var(--review-mtta)' },
  { key: 'mttr', name: 'MTTR', colour: 'var(--review-mttr)' },
] as const;

const duration = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));
const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round((ms / MS_PER_MINUTE) * 10) / 10);
const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
const hits = (v: ValidationScore): string => (v.met + v.missed === 0 ? '—' : `${v.met} of ${v.met + v.missed} (${percent(v.hitRate)})`);

/**
 * The monthly review (seed "Continuous Improvement"): MTTD/MTTA/MTTR month by month, incidents per
 * severity, the validation checklist's hit rate and process improvements implemented, across the
 * incidents on this device, filtered by severity and period. Drills are listed and left out.
 */
export function ReviewScreen() {
  const api = useApi();
  const [severities, setSeverities] = useState<Severity[]>([]);
  const [fromMonth, setFromMonth] = useState('');
  const [toMonth, setToMonth] = useState('');
  const [metrics, setMetrics] = useState<ReviewMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chartId = useId();

  useEffect(() => {
    let current = true;
    const load = () =>
      api.invoke('review.metrics', { ...monthsPeriod(fromMonth, toMonth), severities }).then(
        (loaded) => {
          if (!current) return;
          setMetrics(loaded);
          setError(null);
        },
        (refusal: Error) => current && setError(refusal.message),
      );
    void load();
    const unsubscribe = api.subscribe((event) => {
      if (event.type === 'incidents-changed') void load();
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [api, severities, fromMonth, toMonth]);

  const toggle = (severity: Severity) =>
    setSeverities((chosen) => (chosen.includes(severity) ? chosen.filter((s) => s !== severity) : SEVERITIES.filter((s) => s === severity || chosen.includes(s))));

  const trend = (metrics?.months ?? []).map((m) => ({
    month: m.month,
    mttd: minutes(m.timeToDetect.meanMs),
    mtta: minutes(m.timeToAcknowledge.meanMs),
    mttr: minutes(m.timeToResolve.meanMs),
  }));
  const totals = metrics?.totals;

  return (
    <main className="review-screen">
      <header className="list-header">
        <h1>Response review</h1>
        <a href="#/">Back to incidents</a>
      </header>

      <form className="review-filters" aria-label="Review filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Severities (none chosen: all)</legend>
          {SEVERITIES.map((severity) => (
            <label key={severity}>
              <input type="checkbox" checked={severities.includes(severity)} onChange={() => toggle(severity)} /> {severity}
            </label>
          ))}
        </fieldset>
        <label>
          From month (UTC) <input type="month" value={fromMonth} onChange={(e) => setFromMonth(e.target.value)} />
        </label>
        <label>
          To month (UTC) <input type="month" value={toMonth} onChange={(e) => setToMonth(e.target.value)} />
        </label>
      </form>
      {error && (
        <p role="alert" className="action-error">
          {error}
        </p>
      )}

      {totals && (
        <section aria-label="Summary">
          <dl className="review-summary">
            <div>
              <dt>Incidents counted</dt>
              <dd>
                {totals.incidents}
                {totals.drills > 0 && <span className="muted"> ({totals.drills} drill{totals.drills === 1 ? '' : 's'} excluded)</span>}
              </dd>
            </div>
            <div>
              <dt>MTTD</dt>
              <dd>{duration(totals.timeToDetect.meanMs)}</dd>
            </div>
            <div>
              <dt>MTTA</dt>
              <dd>{duration(totals.timeToAcknowledge.meanMs)}</dd>
            </div>
            <div>
              <dt>MTTR</dt>
              <dd>{duration(totals.timeToResolve.meanMs)}</dd>
            </div>
            <div>
              <dt>Validation hit rate</dt>
              <dd>{hits(totals.validation)}</dd>
            </div>
            <div>
              <dt>Process improvements implemented</dt>
              <dd>{totals.improvementsImplemented}</dd>
            </div>
            {SEVERITIES.map((severity) => (
              <div key={severity}>
                <dt>{severity} incidents</dt>
                <dd>{totals.perSeverity[severity]}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <figure className="review-trend" aria-labelledby={chartId}>
        <figcaption id={chartId}>Mean response times by month (minutes)</figcaption>
        {trend.length === 0 ? (
          <p className="muted">No counted incident in this period.</p>
        ) : (
          <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX} initialDimension={{ width: CHART_INITIAL_WIDTH_PX, height: CHART_HEIGHT_PX }}>
            <LineChart data={trend} margin={CHART_MARGIN}>
              <CartesianGrid strokeDasharray={GRID_DASH} />
              <XAxis dataKey="month" />
              <YAxis unit=" min" />
              <Tooltip contentStyle={TOOLTIP_STYLE} />
              <Legend />
              {TREND_LINES.map((line) => (
                <Line key={line.key} dataKey={line.key} name={line.name} stroke={line.colour} strokeWidth={LINE_WIDTH_PX} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </figure>

      {metrics && metrics.months.length > 0 && (
        <table className="review-table">
          <caption>By month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Incidents</th>
              <th scope="col">MTTD</th>
              <th scope="col">MTTA</th>
              <th scope="col">MTTR</th>
              <th scope="col">Validation met</th>
              <th scope="col">Improvements</th>
            </tr>
          </thead>
          <tbody>
            {metrics.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.incidents}</td>
                <td>{duration(m.timeToDetect.meanMs)}</td>
                <td>{duration(m.timeToAcknowledge.meanMs)}</td>
                <td>{duration(m.timeToResolve.meanMs)}</td>
                <td>{hits(m.validation)}</td>
                <td>{m.improvementsImplemented}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {metrics && (
        <table className="review-table">
          <caption>Incidents in this review</caption>
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Detected</th>
              <th scope="col">To detect</th>
              <th scope="col">To acknowledge</th>
              <th scope="col">To resolve</th>
              <th scope="col">Validation met</th>
              <th scope="col">Improvements</th>
              <th scope="col">Counted</th>
            </tr>
          </thead>
          <tbody>
            {metrics.incidents.map((i) => (
              <tr key={i.id} className={i.counted ? undefined : 'review-excluded'}>
                <th scope="row">
                  <a href={incidentHref(i.id)}>{i.title}</a>
                </th>
                <td>{i.severity}</td>
                <td>{utcDateTime(i.detectedAt)}</td>
                <td>{duration(i.timeToDetectMs)}</td>
                <td>{duration(i.timeToAcknowledgeMs)}</td>
                <td>{duration(i.timeToResolveMs)}</td>
                <td>{hits(i.validation)}</td>
                <td>{i.improvementsImplemented}</td>
                <td>{i.counted ? 'yes' : 'drill — excluded'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {metrics && metrics.incidents.length === 0 && <p className="empty">No incidents in this period and severity.</p>}
    </main>
  );
}
