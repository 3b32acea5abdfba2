import { responseMetricsByMonth, responseTimes } from '../../../shared/model/response-times';
import type { Milestone } from '../../../shared/playbook/schema';
import { incidentFixture, milestonesAt } from './fixtures/incident-fixture';

const MINUTE = 60_000;

const at = (iso: string): number => Date.parse(iso);
const incident = (times: Partial<Record<Milestone, string>>, drill = false) =>
  incidentFixture({
    drill,
    milestones: milestonesAt(Object.fromEntries(Object.entries(times).map(([m, iso]) => [m, at(iso)]))),
  });

describe('responseTimes: detect, acknowledge, resolve', () => {
  it('impact 13:55, detected 14:02, acknowledged 14:05, resolved 16:02', () => {
    const times = responseTimes(
      incident({ impactStarted: '2026-11-29T13:55Z', detected: '2026-11-29T14:02Z', acknowledged: '2026-11-29T14:05Z', resolved: '2026-11-29T16:02Z' }),
    );
    expect(times).toEqual({ timeToDetectMs: 7 * MINUTE, timeToAcknowledgeMs: 3 * MINUTE, timeToResolveMs: 120 * MINUTE });
  });

  it('has no figure while a milestone is missing', () => {
    expect(responseTimes(incident({ detected: '2026-11-29T14:02Z' }))).toEqual({ timeToDetectMs: null, timeToAcknowledgeMs: null, timeToResolveMs: null });
  });
});

describe('responseMetricsByMonth: MTTD/MTTA/MTTR per UTC month, drills excluded', () => {
  const november = [
    incident({ impactStarted: '2026-11-03T09:00Z', detected: '2026-11-03T09:04Z', acknowledged: '2026-11-03T09:06Z', resolved: '2026-11-03T10:04Z' }),
    incident({ impactStarted: '2026-11-10T12:00Z', detected: '2026-11-10T12:10Z', acknowledged: '2026-11-10T12:11Z', resolved: '2026-11-10T15:10Z' }),
    // Late on 30 November UTC (1 December in UTC+1): still November.
    incident({ impactStarted: '2026-11-30T23:20Z', detected: '2026-11-30T23:30Z', acknowledged: '2026-11-30T23:39Z' }),
  ];
  const novemberDrill = incident({ impactStarted: '2026-11-20T10:00Z', detected: '2026-11-20T11:00Z', acknowledged: '2026-11-20T12:00Z', resolved: '2026-11-21T10:00Z' }, true);
  const december = [incident({ detected: '2026-12-01T00:10Z', acknowledged: '2026-12-01T00:12Z', resolved: '2026-12-01T00:40Z' })];
  const januaryDrill = incident({ detected: '2027-01-04T10:00Z', acknowledged: '2027-01-04T10:01Z' }, true);

  const months = responseMetricsByMonth([...december, novemberDrill, ...november, januaryDrill]);

  it('lists months oldest first and leaves out a month with only a drill', () => {
    expect(months.map((m) => [m.month, m.incidents])).toEqual([
      ['2026-11', 3],
      ['2026-12', 1],
    ]);
  });

  it('November: mean time to detect 8 min, median 10 min, over 3 incidents (the drill’s hour left out)', () => {
    expect(months[0].timeToDetect).toEqual({ count: 3, meanMs: 8 * MINUTE, medianMs: 10 * MINUTE });
  });

  it('November: acknowledge mean 4 min, median 2 min', () => {
    expect(months[0].timeToAcknowledge).toEqual({ count: 3, meanMs: 4 * MINUTE, medianMs: 2 * MINUTE });
  });

  it('November: resolve over the 2 resolved incidents, 1 h and 3 h: mean and median 2 h', () => {
    expect(months[0].timeToResolve).toEqual({ count: 2, meanMs: 120 * MINUTE, medianMs: 120 * MINUTE });
  });

  it('December: no impact start known, so no time to detect', () => {
    expect(months[1].timeToDetect).toEqual({ count: 0, meanMs: null, medianMs: null });
    expect(months[1].timeToResolve).toEqual({ count: 1, meanMs: 30 * MINUTE, medianMs: 30 * MINUTE });
  });

  it('is empty when every incident was a drill', () => {
    expect(responseMetricsByMonth([novemberDrill, januaryDrill])).toEqual([]);
  });
});
