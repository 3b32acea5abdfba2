/**
 * The incident's metric alerts, every one of them (decided or not): the pure rule of
 * shared/model/incident-alerts applied to the stored samples and polls.
 *
 * Invariant: the rule sees, per series and threshold rule, only the samples that decide it — the
 * latest sample, the latest one NOT crossing the rule (the "stopper") and the first one after the
 * stopper — in (t, value) order. Every one of these later than a rule's stopper crosses that rule
 * (all samples after it do), so each rule's running episode keeps its true first and last samples:
 * the answer equals the rule applied to every sample, without reading 100,000 of them. Whether a
 * stopper exists at all is one seek on samples_by_value; only then is it looked for back in time.
 */
import { evaluateIncidentAlerts, type IncidentAlert, type SourcedSample } from '../../../shared/model/incident-alerts';
import { thresholdRulesByMetric } from '../../../shared/model/threshold-alerts';
import type { ThresholdRule } from '../../../shared/playbook/schema';
import { prepared, type Db } from '../store/database';
import { declarationOf } from './incidents';
import { sourceConfigs, sourceStatus } from './sources';

type Row = { t: number; value: number } | undefined;
const SERIES = 'FROM samples WHERE incident = ? AND source = ? AND metric = ?';
/**
 * The comparators are the playbook schema's four: the SQL is chosen from these, never built from
 * data. Values are REAL NOT NULL, so "not above" is "at most", a range samples_by_value can seek.
 */
const NOT_CROSSING: Record<ThresholdRule['comparator'], string> = { '>': 'value <= ?', '>=': 'value < ?', '<': 'value >= ?', '<=': 'value > ?' };

/** The incident's (source, metric) series: one index seek per series rather than a scan of every sample. */
function sampledSeries(db: Db, incident: string): Array<{ source: string; metric: string }> {
  const nextSource = prepared(db, 'SELECT MIN(source) FROM samples INDEXED BY samples_by_source WHERE incident = ? AND source > ?').pluck();
  const nextMetric = prepared(db, 'SELECT MIN(metric) FROM samples INDEXED BY samples_by_source WHERE incident = ? AND source = ? AND metric > ?').pluck();
  const series: Array<{ source: string; metric: string }> = [];
  for (let source = nextSource.get(incident, '') as string | null; source !== null; source = nextSource.get(incident, source) as string | null) {
    for (let metric = nextMetric.get(incident, source, '') as string | null; metric !== null; metric = nextMetric.get(incident, source, metric) as string | null) {
      series.push({ source, metric });
    }
  }
  return series;
}

export function incidentAlerts(db: Db, incident: string): IncidentAlert[] {
  const { playbook } = declarationOf(db, incident);
  const rulesByMetric = thresholdRulesByMetric(playbook);
  const series = sampledSeries(db, incident);
  const deciding: SourcedSample[] = [];
  for (const { source, metric } of series) {
    const rules = rulesByMetric.get(metric);
    if (!rules) continue;
    const kept = new Map<string, SourcedSample>();
    const keep = (row: Row) => row && kept.set(`${row.t}:${row.value}`, { source, metric, t: row.t, value: row.value });
    keep(prepared(db, `SELECT t, value ${SERIES} ORDER BY t DESC, value DESC LIMIT 1`).get(incident, source, metric) as Row);
    for (const { rule } of rules) {
      const anyStopper = prepared(db, `SELECT 1 FROM samples INDEXED BY samples_by_value WHERE incident = ? AND source = ? AND metric = ? AND ${NOT_CROSSING[rule.comparator]} LIMIT 1`).get(
        incident, source, metric, rule.value,
      );
      const stopper = (anyStopper &&
        prepared(db, `SELECT t, value FROM samples INDEXED BY samples_by_source WHERE incident = ? AND source = ? AND metric = ? AND ${NOT_CROSSING[rule.comparator]} ORDER BY t DESC, value DESC LIMIT 1`).get(
          incident, source, metric, rule.value,
        )) as Row;
      keep(stopper);
      keep(
        (stopper
          ? prepared(db, `SELECT t, value ${SERIES} AND t >= ? AND (t > ? OR value > ?) ORDER BY t, value LIMIT 1`).get(incident, source, metric, stopper.t, stopper.t, stopper.value)
          : prepared(db, `SELECT t, value ${SERIES} ORDER BY t, value LIMIT 1`).get(incident, source, metric)) as Row,
      );
    }
    deciding.push(...kept.values());
  }
  const sources = sourceConfigs(db, incident, { withRemoved: true }).map(({ id, config, removed }) => ({ id, config, removed, status: sourceStatus(db, incident, id) }));
  return evaluateIncidentAlerts(deciding, sources, playbook);
}
