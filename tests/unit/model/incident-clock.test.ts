import { formatDuration, formatUtcMinute, incidentAge } from '../../../shared/model/incident-clock';
import { incidentFixture, milestonesAt, utc } from './fixtures/incident-fixture';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('incidentAge: running since detection, stopped at resolution', () => {
  it('detected 14:02, at 15:04:05 the incident is 1h 02m old', () => {
    expect(formatDuration(incidentAge(incidentFixture(), utc('15:04:05')))).toBe('1h 02m');
  });

  it('stops at resolved: resolved 16:00, still 1h 58m at 20:00', () => {
    const resolved = incidentFixture({ status: 'resolved', milestones: milestonesAt({ detected: utc('14:02'), resolved: utc('16:00') }) });
    expect(incidentAge(resolved, utc('20:00'))).toBe(HOUR + 58 * MINUTE);
  });

  it('counts from the declaration when there is no detected milestone', () => {
    expect(incidentAge(incidentFixture({ milestones: {}, declaredAt: utc('14:10') }), utc('14:20'))).toBe(10 * MINUTE);
  });

  it('never shows a negative age when this device’s clock is behind the detection time', () => {
    expect(incidentAge(incidentFixture(), utc('14:01'))).toBe(0);
  });
});

describe('formatDuration: how every clock reads', () => {
  it.each([
    [0, '0m 00s'],
    [59 * SECOND + 900, '0m 59s'],
    [4 * MINUTE + 5 * SECOND, '4m 05s'],
    [59 * MINUTE + 59 * SECOND, '59m 59s'],
    [HOUR, '1h 00m'],
    [HOUR + 2 * MINUTE + 30 * SECOND, '1h 02m'],
    [23 * HOUR + 59 * MINUTE, '23h 59m'],
    [DAY, '1d 0h'],
    [3 * DAY + 4 * HOUR + 59 * MINUTE, '3d 4h'],
    [-(3 * MINUTE + 10 * SECOND), '-3m 10s'],
    [-(2 * HOUR + 5 * MINUTE), '-2h 05m'],
    [-500, '0m 00s'],
  ])('%i ms reads %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown);
  });
});

describe('formatUtcMinute', () => {
  it('shows a UTC moment to the minute', () => {
    expect(formatUtcMinute(utc('13:02:59'))).toBe('2026-11-29 13:02 UTC');
    expect(formatUtcMinute(Date.UTC(2027, 0, 5, 3, 7))).toBe('2027-01-05 03:07 UTC');
  });
});
