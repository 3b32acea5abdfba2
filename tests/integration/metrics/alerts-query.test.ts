/**
 * alerts.list reads only the samples that decide each rule (queries/alerts.ts); its answer must be
 * the pure rule applied to every sample, whatever the series look like.
 */
import { evaluateIncidentAlerts } from '../../../shared/model/incident-alerts';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { T0 } from '../../support/cores';
import { withIncident } from '../../support/api-expect';

/** A small deterministic generator, so a failure repeats. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

it.each([1, 2, 3, 4, 5, 6, 7, 8])('equals the rule applied to every sample (seed %i)', (seed) => {
  const fx = withIncident();
  const next = random(seed);
  const csv = fx.call('sources.save', { incidentId: fx.incidentId, config: { name: 'Export', kind: 'csv', metric: 'error-rate', sustainMs: Math.floor(next() * 5) * 1_000 } });
  const levels = [0, 0.05, 0.5, 2, 6, 0.1, 1, 5, 10, 12];
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => `${T0 + Math.floor(i / 2) * 1_000},${next() < 0.5 ? 'error-rate' : 'response-time'},${levels[Math.floor(next() * levels.length)]}`).join('\n');
  fx.call('samples.importCsv', { incidentId: fx.incidentId, sourceId: csv.id, text: rows(40) });
  fx.call('samples.importCsv', { incidentId: fx.incidentId, text: rows(30) });
  const everySample = fx.call('samples.list', { incidentId: fx.incidentId });
  const sources = fx.call('sources.list', { incidentId: fx.incidentId });
  expect(fx.call('alerts.list', { incidentId: fx.incidentId })).toEqual(evaluateIncidentAlerts(everySample, sources, DEFAULT_PLAYBOOK));
});

it('equals the rule applied to every sample when a series crosses a rule throughout (no sample stops it)', () => {
  const fx = withIncident();
  const rows = Array.from({ length: 300 }, (_, i) => `${T0 + i * 1_000},error-rate,${i % 50 === 7 ? 0.5 : 6 + (i % 3)}\n${T0 + i * 1_000},response-time,${12 + (i % 4)}`);
  fx.call('samples.importCsv', { incidentId: fx.incidentId, text: rows.join('\n') });
  const alerts = fx.call('alerts.list', { incidentId: fx.incidentId });
  expect(alerts.length).toBeGreaterThan(0);
  expect(alerts).toEqual(evaluateIncidentAlerts(fx.call('samples.list', { incidentId: fx.incidentId }), fx.call('sources.list', { incidentId: fx.incidentId }), DEFAULT_PLAYBOOK));
});
