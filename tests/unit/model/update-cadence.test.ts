import { nextUpdateDue } from '../../../shared/model/update-cadence';
import { formatDuration } from '../../../shared/model/incident-clock';
import { incidentFixture, utc } from './fixtures/incident-fixture';

const MINUTE = 60_000;

describe('nextUpdateDue: status updates every cadence minutes for the severity', () => {
  it('a P0 detected at 14:02 with nothing sent owes its first update at 14:32', () => {
    expect(nextUpdateDue(incidentFixture(), utc('14:20'))).toEqual({
      cadenceMs: 30 * MINUTE,
      lastUpdateAt: utc('14:02'),
      dueAt: utc('14:32'),
      remainingMs: 12 * MINUTE,
      overdue: false,
    });
  });

  it('is overdue at 14:40 with the clock showing -8m 00s', () => {
    const due = nextUpdateDue(incidentFixture(), utc('14:40'));
    expect(due?.overdue).toBe(true);
    expect(formatDuration(due?.remainingMs ?? 0)).toBe('-8m 00s');
  });

  it('marking a communication sent at 14:35 resets the clock to 15:05', () => {
    const due = nextUpdateDue(incidentFixture({ communicationsSentAt: [utc('14:35')] }), utc('14:40'));
    expect(due).toMatchObject({ lastUpdateAt: utc('14:35'), dueAt: utc('15:05'), overdue: false });
  });

  it('counts from the latest communication sent', () => {
    const due = nextUpdateDue(incidentFixture({ communicationsSentAt: [utc('14:10'), utc('14:50'), utc('14:30')] }), utc('15:00'));
    expect(due?.dueAt).toBe(utc('15:20'));
  });

  it('uses the current severity’s cadence: a P2 is due every 2 hours', () => {
    expect(nextUpdateDue(incidentFixture({ severity: 'P2' }), utc('14:20'))?.dueAt).toBe(utc('16:02'));
  });

  it('keeps running once mitigated, and stops once resolved or closed', () => {
    expect(nextUpdateDue(incidentFixture({ status: 'mitigated' }), utc('14:20'))).not.toBeNull();
    expect(nextUpdateDue(incidentFixture({ status: 'resolved' }), utc('14:20'))).toBeNull();
    expect(nextUpdateDue(incidentFixture({ status: 'closed' }), utc('14:20'))).toBeNull();
  });

  it('counts from the declaration when there is no detected milestone', () => {
    expect(nextUpdateDue(incidentFixture({ milestones: {}, declaredAt: utc('14:10') }), utc('14:20'))?.dueAt).toBe(utc('14:40'));
  });
});
