/** The incident's alerts as a pure function of samples, source configuration and polls. */
import { describeIncidentAlert, evaluateIncidentAlerts, type AlertingSource, type SourcedSample } from '../../../shared/model/incident-alerts';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';

const T = Date.UTC(2026, 10, 29, 14, 0);
const S = 1_000;
const UP = { state: 'up', at: T, reason: null, downSince: null } as const;
const poller = (id: string, sustainMs: number, status: AlertingSource['status'] = UP): AlertingSource => ({
  id,
  config: { name: `Source ${id}`, sustainMs, downSeverity: 'P2', metric: 'error-rate' },
  status,
});
const errorRate = (source: string, seconds: number, value: number): SourcedSample => ({ source, metric: 'error-rate', t: T + seconds * S, value });

describe('evaluateIncidentAlerts', () => {
  it('does not page for a poller\'s single spike inside its sustain window, and does once the crossing holds', () => {
    const spike = [errorRate('prom', 0, 0.05), errorRate('prom', 10, 7), errorRate('prom', 20, 0.05)];
    expect(evaluateIncidentAlerts(spike, [poller('prom', 30 * S)], DEFAULT_PLAYBOOK)).toEqual([]);
    const held = [errorRate('prom', 0, 0.05), errorRate('prom', 10, 7), errorRate('prom', 20, 8), errorRate('prom', 40, 6)];
    expect(evaluateIncidentAlerts(held.slice(0, 3), [poller('prom', 30 * S)], DEFAULT_PLAYBOOK)).toEqual([]);
    expect(evaluateIncidentAlerts(held, [poller('prom', 30 * S)], DEFAULT_PLAYBOOK)).toMatchObject([
      { kind: 'threshold', metric: 'error-rate', suggestedSeverity: 'P1', since: T + 10 * S, at: T + 40 * S, value: 6, alertKey: `error-rate:P1:${T + 10 * S}` },
    ]);
  });

  it('alerts on one manual sample at once (sustain 0), whatever a poller of the same metric says', () => {
    const samples = [errorRate('manual', 5, 6), errorRate('prom', 0, 0.5), errorRate('prom', 10, 0.5)];
    expect(evaluateIncidentAlerts(samples, [poller('prom', 30 * S)], DEFAULT_PLAYBOOK)).toMatchObject([{ kind: 'threshold', suggestedSeverity: 'P1', since: T + 5 * S }]);
  });

  it('keeps per metric the most severe alert of all its sources', () => {
    const samples = [errorRate('a', 0, 2), errorRate('b', 30, 9)];
    expect(evaluateIncidentAlerts(samples, [poller('a', 0), poller('b', 0)], DEFAULT_PLAYBOOK).map((a) => a.suggestedSeverity)).toEqual(['P1']);
  });

  it('alerts when a source is down for its sustain window, with its reason and configured severity', () => {
    const down = (sinceS: number, atS: number) => ({ state: 'down' as const, at: T + atS * S, reason: 'answered HTTP 503', downSince: T + sinceS * S });
    expect(evaluateIncidentAlerts([], [poller('h', 20 * S, down(0, 10))], DEFAULT_PLAYBOOK)).toEqual([]);
    const [alert] = evaluateIncidentAlerts([], [poller('h', 20 * S, down(0, 20))], DEFAULT_PLAYBOOK);
    expect(alert).toEqual({
      kind: 'source-down',
      alertKey: `source-down:h:${T}`,
      suggestedSeverity: 'P2',
      sourceId: 'h',
      sourceName: 'Source h',
      metric: 'error-rate',
      reason: 'answered HTTP 503',
      since: T,
      at: T + 20 * S,
    });
    expect(describeIncidentAlert(alert)).toBe('source "Source h" (error rate) is down: answered HTTP 503 — suggest P2');
  });

  it('is the same whatever order the samples and sources come in', () => {
    const samples = [errorRate('a', 0, 2), errorRate('a', 10, 3), errorRate('b', 5, 6), errorRate('b', 15, 7), errorRate('manual', 1, 0.5)];
    const sources = [poller('a', 5 * S), poller('b', 10 * S), poller('c', 0, { state: 'down', at: T + 9 * S, reason: 'connection refused', downSince: T })];
    const expected = evaluateIncidentAlerts(samples, sources, DEFAULT_PLAYBOOK);
    expect(expected.map((a) => a.kind)).toEqual(['threshold', 'source-down']);
    expect(evaluateIncidentAlerts([...samples].reverse(), [...sources].reverse(), DEFAULT_PLAYBOOK)).toEqual(expected);
  });
});
