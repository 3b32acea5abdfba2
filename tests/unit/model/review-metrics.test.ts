import { monthsPeriod, reviewMetrics, type ReviewedIncident, type ReviewedTask } from '../../../shared/model/review-metrics';
import type { Milestone, Severity } from '../../../shared/playbook/schema';
import { incidentFixture, milestonesAt } from './fixtures/incident-fixture';

const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);
/** Well after every incident below: a clock still open by now has passed its deadline. */
const NOW = at('2026-12-20T00:00Z');

function reviewed(
  id: string,
  severity: Severity,
  times: Partial<Record<Milestone, string>>,
  tasks: ReviewedTask[] = [],
  drill = false,
): ReviewedIncident {
  const milestones = milestonesAt(Object.fromEntries(Object.entries(times).map(([m, iso]) => [m, at(iso)])));
  return { state: incidentFixture({ id, title: `incident ${id}`, severity, drill, milestones, declaredAt: milestones.detected?.at ?? 0 }), tasks };
}

const done = (type: ReviewedTask['type']): ReviewedTask => ({ type, state: 'done' });

// A, P0, 3 Nov. Validation: detected in 4 min ≤ 5 met; notified in 6 ≤ 10 met; root cause 86 > 60
// missed; communication 16 ≤ 30 met; RTO has no affected system (no limit, not counted); post-mortem
// never done and resolved + 7 days is long past: missed. 3 met, 2 missed. Two action items done
// (an open one and a plain task done do not count): 2 improvements.
const a = reviewed(
  'a',
  'P0',
  {
    impactStarted: '2026-11-03T09:00Z',
    detected: '2026-11-03T09:04Z',
    acknowledged: '2026-11-03T09:06Z',
    teamNotified: '2026-11-03T09:10Z',
    firstCommunicationSent: '2026-11-03T09:20Z',
    rootCauseIdentified: '2026-11-03T10:30Z',
    resolved: '2026-11-03T11:04Z',
  },
  [done('action-item'), done('action-item'), { type: 'action-item', state: 'open' }, done('task')],
);
// B, P2, 10 Nov. Detected in 10 > 5 missed; notified in 5 met; root cause does not apply to P2;
// no communication and 12:40 passed: missed; post-mortem two days after resolving: met. 2 met, 2 missed.
const b = reviewed(
  'b',
  'P2',
  {
    impactStarted: '2026-11-10T12:00Z',
    detected: '2026-11-10T12:10Z',
    acknowledged: '2026-11-10T12:11Z',
    teamNotified: '2026-11-10T12:15Z',
    resolved: '2026-11-10T15:10Z',
    postMortemDone: '2026-11-12T09:00Z',
  },
  [done('action-item'), { type: 'action-item', state: 'cancelled' }],
);
// C, P1, 2 Dec, still open, impact start unknown. Notified 5 met, root cause 40 met, communication 20
// met; detection and post-mortem clocks never started. 3 met, 0 missed.
const c = reviewed('c', 'P1', {
  detected: '2026-12-02T08:00Z',
  acknowledged: '2026-12-02T08:03Z',
  teamNotified: '2026-12-02T08:05Z',
  firstCommunicationSent: '2026-12-02T08:20Z',
  rootCauseIdentified: '2026-12-02T08:40Z',
});
// D, a P0 drill on 20 Nov with slow figures and an action item done: listed, counted nowhere.
const drill = reviewed(
  'd',
  'P0',
  { impactStarted: '2026-11-20T10:00Z', detected: '2026-11-20T11:00Z', acknowledged: '2026-11-20T12:00Z', resolved: '2026-11-21T10:00Z' },
  [done('action-item')],
  true,
);

const all = [a, drill, c, b];

describe('reviewMetrics: response metrics across incidents, drills excluded', () => {
  const metrics = reviewMetrics(all, {}, NOW);

  it('lists every incident newest first, the drill marked as not counted', () => {
    expect(metrics.incidents.map((i) => [i.id, i.counted])).toEqual([
      ['c', true],
      ['d', false],
      ['b', true],
      ['a', true],
    ]);
    expect(metrics.totals.incidents).toBe(3);
    expect(metrics.totals.drills).toBe(1);
  });

  it('per incident: A detects in 4 min, acknowledges in 2, resolves in 120; 3 of 5 decided items met; 2 improvements', () => {
    const row = metrics.incidents.find((i) => i.id === 'a');
    expect(row).toMatchObject({ timeToDetectMs: 4 * MINUTE, timeToAcknowledgeMs: 2 * MINUTE, timeToResolveMs: 120 * MINUTE, month: '2026-11' });
    expect(row?.validation).toEqual({ met: 3, missed: 2, hitRate: 3 / 5 });
    expect(row?.improvementsImplemented).toBe(2);
  });

  it('MTTD over A and B: (4 + 10) / 2 = 7 min (C has no impact start, the drill’s 60 min left out)', () => {
    expect(metrics.totals.timeToDetect).toEqual({ count: 2, meanMs: 7 * MINUTE, medianMs: 7 * MINUTE });
  });

  it('MTTA over A, B, C: (2 + 1 + 3) / 3 = 2 min', () => {
    expect(metrics.totals.timeToAcknowledge).toEqual({ count: 3, meanMs: 2 * MINUTE, medianMs: 2 * MINUTE });
  });

  it('MTTR over the resolved A and B: (120 + 180) / 2 = 150 min', () => {
    expect(metrics.totals.timeToResolve).toEqual({ count: 2, meanMs: 150 * MINUTE, medianMs: 150 * MINUTE });
  });

  it('validation hit rate: (3 + 2 + 3) met of (5 + 4 + 3) decided = 8 / 12', () => {
    expect(metrics.totals.validation).toEqual({ met: 8, missed: 4, hitRate: 8 / 12 });
  });

  it('incidents per severity: one each of P0, P1, P2 (the P0 drill not counted)', () => {
    expect(metrics.totals.perSeverity).toEqual({ P0: 1, P1: 1, P2: 1, P3: 0 });
  });

  it('process improvements implemented: 2 (A) + 1 (B) + 0 (C) = 3; the drill’s does not count', () => {
    expect(metrics.totals.improvementsImplemented).toBe(3);
  });

  it('month by month: November has A and B (5 of 9 met, 3 improvements), December has C (3 of 3)', () => {
    expect(metrics.months.map((m) => [m.month, m.incidents, m.validation, m.improvementsImplemented])).toEqual([
      ['2026-11', 2, { met: 5, missed: 4, hitRate: 5 / 9 }, 3],
      ['2026-12', 1, { met: 3, missed: 0, hitRate: 1 }, 0],
    ]);
    expect(metrics.months[0].timeToResolve).toEqual({ count: 2, meanMs: 150 * MINUTE, medianMs: 150 * MINUTE });
  });
});

describe('reviewMetrics: filters', () => {
  it('by severity P0 and P1: A and C counted, the P0 drill listed; P2 has none', () => {
    const metrics = reviewMetrics(all, { severities: ['P0', 'P1'] }, NOW);
    expect(metrics.incidents.map((i) => i.id)).toEqual(['c', 'd', 'a']);
    expect(metrics.totals.perSeverity).toEqual({ P0: 1, P1: 1, P2: 0, P3: 0 });
    // MTTA over A and C: (2 + 3) / 2 = 2.5 min.
    expect(metrics.totals.timeToAcknowledge.meanMs).toBe(2.5 * MINUTE);
  });

  it('by period, detected from 1 December (inclusive) to 1 January (exclusive): only C', () => {
    const metrics = reviewMetrics(all, { from: at('2026-12-01T00:00Z'), to: at('2027-01-01T00:00Z') }, NOW);
    expect(metrics.incidents.map((i) => i.id)).toEqual(['c']);
    expect(metrics.months.map((m) => m.month)).toEqual(['2026-12']);
  });

  it('has no hit rate and no means when nothing is counted', () => {
    const metrics = reviewMetrics([drill], {}, NOW);
    expect(metrics.totals).toMatchObject({ incidents: 0, drills: 1, improvementsImplemented: 0, validation: { met: 0, missed: 0, hitRate: null } });
    expect(metrics.totals.timeToDetect).toEqual({ count: 0, meanMs: null, medianMs: null });
    expect(metrics.months).toEqual([]);
  });
});

describe('monthsPeriod: whole UTC months, both ends included', () => {
  it('November to December 2026 is [1 Nov 00:00Z, 1 Jan 2027 00:00Z)', () => {
    expect(monthsPeriod('2026-11', '2026-12')).toEqual({ from: at('2026-11-01T00:00Z'), to: at('2027-01-01T00:00Z') });
  });

  it('leaves an empty or malformed end open', () => {
    expect(monthsPeriod('', '2026-12')).toEqual({ to: at('2027-01-01T00:00Z') });
    expect(monthsPeriod('2026-13', 'soon')).toEqual({});
  });
});
