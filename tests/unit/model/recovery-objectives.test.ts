import { rpoPrompts, rtoCountdowns, tightestRto } from '../../../shared/model/recovery-objectives';
import { formatDuration } from '../../../shared/model/incident-clock';
import type { Milestone } from '../../../shared/playbook/schema';
import { incidentFixture, milestonesAt, utc } from './fixtures/incident-fixture';

const HOUR = 3_600_000;

const outage = (affectedSystems: string[], times: Partial<Record<Milestone, number>> = {}) =>
  incidentFixture({ affectedSystems, milestones: milestonesAt({ impactStarted: utc('13:55'), detected: utc('14:02'), ...times }) });

describe('rtoCountdowns: one RTO clock per affected system, from impact start', () => {
  it('authentication and database affected: authentication first, 1 hour from 13:55', () => {
    const clocks = rtoCountdowns(outage(['database', 'authentication']), utc('14:30'));
    expect(clocks.map((c) => [c.system, c.deadline])).toEqual([
      ['Authentication', utc('14:55')],
      ['Database', utc('17:55')],
    ]);
    expect(formatDuration(clocks[0].remainingMs)).toBe('25m 00s');
    expect(clocks[0]).toMatchObject({ systemId: 'authentication', rtoMs: HOUR, breached: false, met: false });
  });

  it('the header shows the tightest: authentication, 1 hour', () => {
    expect(tightestRto(outage(['authentication', 'database']), utc('14:30'))).toMatchObject({ system: 'Authentication', rtoMs: HOUR, deadline: utc('14:55') });
  });

  it('at 15:00 unmitigated, authentication is breached by 5 minutes and database is not', () => {
    const [auth, database] = rtoCountdowns(outage(['authentication', 'database']), utc('15:00'));
    expect(auth.breached).toBe(true);
    expect(formatDuration(auth.remainingMs)).toBe('-5m 00s');
    expect(database.breached).toBe(false);
  });

  it('mitigated at 14:50 meets both, and the clock stops with 5 minutes to spare', () => {
    const [auth, database] = rtoCountdowns(outage(['authentication', 'database'], { mitigated: utc('14:50') }), utc('18:00'));
    expect(auth).toMatchObject({ met: true, breached: false, remainingMs: 5 * 60_000 });
    expect(database).toMatchObject({ met: true, breached: false });
  });

  it('mitigated at 15:10 misses authentication but meets database', () => {
    const [auth, database] = rtoCountdowns(outage(['authentication', 'database'], { mitigated: utc('15:10') }), utc('18:00'));
    expect(auth).toMatchObject({ met: false, breached: true });
    expect(database).toMatchObject({ met: true, breached: false });
  });

  it('runs from detected when the impact start is unknown', () => {
    const noImpact = incidentFixture({ affectedSystems: ['authentication'] });
    expect(tightestRto(noImpact, utc('14:30'))).toMatchObject({ startedAt: utc('14:02'), deadline: utc('15:02') });
  });

  it('ignores systems without an objective; none at all leaves the header without an RTO', () => {
    expect(rtoCountdowns(outage(['mobile-app', 'caching']), utc('14:30')).map((c) => c.systemId)).toEqual(['caching']);
    expect(tightestRto(outage(['mobile-app']), utc('14:30'))).toBeNull();
    expect(tightestRto(outage([]), utc('14:30'))).toBeNull();
  });
});

describe('rpoPrompts: confirm the last good backup is after impact start − RPO', () => {
  it('database affected, detected 14:02 with no impact start: backup after 13:02', () => {
    const prompts = rpoPrompts(incidentFixture({ affectedSystems: ['database'] }));
    expect(prompts).toEqual([
      {
        systemId: 'database',
        system: 'Database',
        rpoMs: HOUR,
        lastGoodBackupAfter: utc('13:02'),
        prompt: 'Confirm the last good backup of Database is after 2026-11-29 13:02 UTC',
      },
    ]);
  });

  it('counts from impact start and skips systems whose RPO is N/A', () => {
    const prompts = rpoPrompts(outage(['api-services', 'analytics', 'authentication']));
    expect(prompts.map((p) => p.prompt)).toEqual([
      'Confirm the last good backup of Authentication is after 2026-11-29 12:55 UTC',
      'Confirm the last good backup of Analytics is after 2026-11-28 13:55 UTC',
    ]);
  });

  it('rounds a moment with seconds up to the next minute, so the prompt never accepts a backup that is too old', () => {
    const prompts = rpoPrompts(incidentFixture({ affectedSystems: ['database'], milestones: milestonesAt({ impactStarted: utc('13:55:30'), detected: utc('14:02') }) }));
    expect(prompts[0].lastGoodBackupAfter).toBe(utc('12:55:30'));
    expect(prompts[0].prompt).toBe('Confirm the last good backup of Database is after 2026-11-29 12:56 UTC');
  });
});
