import { regulatoryClock } from '../../../shared/model/regulatory-clock';
import { formatDuration } from '../../../shared/model/incident-clock';
import { incidentFixture, utc } from './fixtures/incident-fixture';
import { playbookFixture } from './fixtures/playbook-fixture';

describe('regulatoryClock: report a breach within 72 hours of becoming aware', () => {
  it('has no clock without a flagged breach with an aware-at time', () => {
    expect(regulatoryClock(incidentFixture(), utc('15:00'))).toBeNull();
    expect(regulatoryClock(incidentFixture({ breach: { flagged: true, awareAt: null } }), utc('15:00'))).toBeNull();
    expect(regulatoryClock(incidentFixture({ breach: { flagged: false, awareAt: utc('14:30') } }), utc('15:00'))).toBeNull();
  });

  it('aware at 14:30 on 29 November: due 14:30 on 2 December, 2 days left a day later', () => {
    const breach = incidentFixture({ breach: { flagged: true, awareAt: utc('14:30') } });
    const clock = regulatoryClock(breach, utc('14:30', 1));
    expect(clock).toMatchObject({ startedAt: utc('14:30'), deadline: utc('14:30', 3), overdue: false });
    expect(formatDuration(clock?.remainingMs ?? 0)).toBe('2d 0h');
  });

  it('is overdue a minute after the 72 hours', () => {
    const breach = incidentFixture({ breach: { flagged: true, awareAt: utc('14:30') } });
    expect(regulatoryClock(breach, utc('14:30', 3))?.overdue).toBe(false);
    const late = regulatoryClock(breach, utc('14:31', 3));
    expect(late?.overdue).toBe(true);
    expect(formatDuration(late?.remainingMs ?? 0)).toBe('-1m 00s');
  });

  it('follows the pinned playbook’s deadline', () => {
    const strict = playbookFixture((p) => ({ ...p, breach: { ...p.breach, regulatoryDeadlineMinutes: 24 * 60 } }));
    const breach = incidentFixture({ playbook: strict, breach: { flagged: true, awareAt: utc('14:30') } });
    expect(regulatoryClock(breach, utc('15:00'))?.deadline).toBe(utc('14:30', 1));
  });
});
