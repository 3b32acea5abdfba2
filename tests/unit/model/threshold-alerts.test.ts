import {
  alertSummary,
  describeAlert,
  evaluateThresholds,
  pendingAlerts,
  thresholdLabel,
  type MetricSample,
} from '../../../shared/model/threshold-alerts';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import type { Playbook } from '../../../shared/playbook/schema';
import { utc } from './fixtures/incident-fixture';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

const errorRate = (at: string, value: number): MetricSample => ({ metric: 'error-rate', t: utc(at), value });
const responseTime = (at: string, value: number): MetricSample => ({ metric: 'response-time', t: utc(at), value });

describe('evaluateThresholds: the seed’s alert thresholds', () => {
  it('a 6 % error rate crosses P1 (> 5 %)', () => {
    expect(evaluateThresholds([errorRate('14:05', 6)], DEFAULT_PLAYBOOK)).toEqual([
      {
        alertKey: `error-rate:P1:${utc('14:05')}`,
        metric: 'error-rate',
        suggestedSeverity: 'P1',
        rule: { metric: 'error-rate', comparator: '>', value: 5, unit: '%' },
        value: 6,
        since: utc('14:05'),
        at: utc('14:05'),
      },
    ]);
  });

  it('a 1.5 % error rate crosses P2 (> 1 %), not P1', () => {
    const [alert] = evaluateThresholds([errorRate('14:05', 1.5)], DEFAULT_PLAYBOOK);
    expect(alert).toMatchObject({ suggestedSeverity: 'P2', rule: { value: 1 } });
  });

  it('a 12 s response time crosses P1 (> 10 s)', () => {
    const [alert] = evaluateThresholds([responseTime('14:05', 12)], DEFAULT_PLAYBOOK);
    expect(alert).toMatchObject({ metric: 'response-time', suggestedSeverity: 'P1', rule: { value: 10, unit: 's' } });
  });

  it('a value on the threshold does not cross "> 5 %", and one under every threshold raises nothing', () => {
    expect(evaluateThresholds([errorRate('14:05', 5)], DEFAULT_PLAYBOOK)).toMatchObject([{ suggestedSeverity: 'P2' }]);
    expect(evaluateThresholds([errorRate('14:05', 0.05), responseTime('14:05', 1)], DEFAULT_PLAYBOOK)).toEqual([]);
  });

  it('raises one alert per metric, error rate before response time as the seed lists them', () => {
    const alerts = evaluateThresholds([responseTime('14:05', 6), errorRate('14:05', 0.5)], DEFAULT_PLAYBOOK);
    expect(alerts.map((a) => [a.metric, a.suggestedSeverity])).toEqual([
      ['error-rate', 'P3'],
      ['response-time', 'P2'],
    ]);
  });

  it('ignores metrics the playbook sets no threshold for', () => {
    expect(evaluateThresholds([{ metric: 'cpu', t: utc('14:05'), value: 99 }], DEFAULT_PLAYBOOK)).toEqual([]);
  });

  it('reports the latest crossing value and keeps the key of the first crossing while the episode runs', () => {
    const [alert] = evaluateThresholds([errorRate('14:00', 0.05), errorRate('14:05', 6), errorRate('14:06', 9), errorRate('14:07', 7.5)], DEFAULT_PLAYBOOK);
    expect(alert).toMatchObject({ alertKey: `error-rate:P1:${utc('14:05')}`, value: 7.5, since: utc('14:05'), at: utc('14:07') });
  });

  it('honours "<" rules of a custom playbook (throughput falling)', () => {
    const playbook: Pick<Playbook, 'alertThresholds'> = {
      alertThresholds: [{ severity: 'P1', rules: [{ metric: 'throughput', comparator: '<', value: 100, unit: 'req/s' }], conditions: [] }],
    };
    expect(evaluateThresholds([{ metric: 'throughput', t: 1, value: 40 }], playbook)).toMatchObject([{ suggestedSeverity: 'P1' }]);
    expect(evaluateThresholds([{ metric: 'throughput', t: 1, value: 140 }], playbook)).toEqual([]);
  });
});

describe('evaluateThresholds: episodes and the sustain window', () => {
  it('a crossing alerts only once it has held for sustainMs', () => {
    const samples = [errorRate('14:00', 6), errorRate('14:01', 6.5)];
    expect(evaluateThresholds(samples, DEFAULT_PLAYBOOK, { sustainMs: 2 * MINUTE })).toEqual([]);
    const held = [...samples, errorRate('14:02', 7)];
    expect(evaluateThresholds(held, DEFAULT_PLAYBOOK, { sustainMs: 2 * MINUTE })).toMatchObject([
      { alertKey: `error-rate:P1:${utc('14:00')}`, since: utc('14:00'), at: utc('14:02') },
    ]);
  });

  it('while a severe crossing is not yet sustained, a milder one that is sustained speaks', () => {
    const samples = [errorRate('14:00', 2), errorRate('14:01', 2), errorRate('14:02', 8)];
    expect(evaluateThresholds(samples, DEFAULT_PLAYBOOK, { sustainMs: 2 * MINUTE })).toMatchObject([
      { suggestedSeverity: 'P2', alertKey: `error-rate:P2:${utc('14:00')}` },
    ]);
  });

  it('a sample falling back under ends the episode: the alert goes, and a new crossing is a new alert', () => {
    const spike = [errorRate('14:00', 7), errorRate('14:01', 8)];
    expect(evaluateThresholds([...spike, errorRate('14:02', 0.05)], DEFAULT_PLAYBOOK)).toEqual([]);
    const again = [...spike, errorRate('14:02', 0.05), errorRate('14:03', 9)];
    expect(evaluateThresholds(again, DEFAULT_PLAYBOOK)).toMatchObject([{ alertKey: `error-rate:P1:${utc('14:03')}` }]);
  });

  it('a dip below P1 but above P2 restarts the P1 episode only', () => {
    const samples = [errorRate('14:00', 7), errorRate('14:01', 3), errorRate('14:02', 7)];
    expect(evaluateThresholds(samples, DEFAULT_PLAYBOOK)).toMatchObject([{ alertKey: `error-rate:P1:${utc('14:02')}` }]);
    expect(evaluateThresholds(samples.slice(0, 2), DEFAULT_PLAYBOOK)).toMatchObject([{ alertKey: `error-rate:P2:${utc('14:00')}` }]);
  });

  it('a sustain window restarts with the episode', () => {
    const samples = [errorRate('14:00', 7), errorRate('14:03', 0.05), errorRate('14:04', 7), errorRate('14:05', 7)];
    expect(evaluateThresholds(samples, DEFAULT_PLAYBOOK, { sustainMs: 2 * MINUTE })).toEqual([]);
  });

  it('gives the same alerts and keys whatever order the samples arrive in', () => {
    const samples = [
      errorRate('14:00', 0.5),
      errorRate('14:01', 6),
      responseTime('14:01', 3),
      errorRate('14:02', 7),
      responseTime('14:02', 11),
      { metric: 'error-rate', t: utc('14:02'), value: 0.01 },
      errorRate('14:03', 6.5),
    ];
    const expected = evaluateThresholds(samples, DEFAULT_PLAYBOOK);
    expect(expected.map((a) => a.alertKey)).toEqual([`error-rate:P1:${utc('14:02')}`, `response-time:P1:${utc('14:02')}`]);
    for (const order of [[...samples].reverse(), [3, 6, 0, 5, 1, 4, 2].map((i) => samples[i])]) {
      expect(evaluateThresholds(order, DEFAULT_PLAYBOOK)).toEqual(expected);
    }
  });
});

describe('pendingAlerts', () => {
  const [p1] = evaluateThresholds([errorRate('14:05', 7.5)], DEFAULT_PLAYBOOK);

  it('offers an alert that would raise the severity until it is decided', () => {
    expect(pendingAlerts([p1], new Set(), 'P2')).toEqual([p1]);
    expect(pendingAlerts([p1], new Set([p1.alertKey]), 'P2')).toEqual([]);
  });

  it('holds back alerts at or below the current severity (P0 is the most severe)', () => {
    expect(pendingAlerts([p1], new Set(), 'P1')).toEqual([]);
    expect(pendingAlerts([p1], new Set(), 'P0')).toEqual([]);
    expect(pendingAlerts([p1], new Set(), 'P3')).toEqual([p1]);
  });
});

describe('alert wording', () => {
  const [alert] = evaluateThresholds([errorRate('14:05', 7.5)], DEFAULT_PLAYBOOK);

  it('says what crossed, which threshold and what it suggests', () => {
    expect(describeAlert(alert)).toBe('error rate 7.5 % crosses P1 (> 5 %) — suggest P1');
    expect(alertSummary(alert)).toBe('error rate 7.5 % > 5 % (P1)');
  });

  it('labels threshold lines with severity, comparator and value', () => {
    expect(thresholdLabel('P1', { metric: 'error-rate', comparator: '>', value: 5, unit: '%' })).toBe('P1 > 5 %');
    expect(thresholdLabel('P3', { metric: 'error-rate', comparator: '>', value: 0.1, unit: '%' })).toBe('P3 > 0.1 %');
    expect(thresholdLabel('P2', { metric: 'response-time', comparator: '>', value: 5, unit: 's' })).toBe('P2 > 5 s');
  });
});
