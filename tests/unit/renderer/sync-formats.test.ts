/** How the sync line says durations and times, and the join route. */
import { parseRoute } from '../../../renderer/app/route';
import { roughDuration, utcMinute } from '../../../renderer/format/time';

const MINUTE = 60_000;

describe('roughDuration', () => {
  it('says how long to the minute, whatever the sign', () => {
    expect(roughDuration(0)).toBe('under a minute');
    expect(roughDuration(59_999)).toBe('under a minute');
    expect(roughDuration(MINUTE)).toBe('1 min');
    expect(roughDuration(-5.5 * MINUTE)).toBe('5 min');
    expect(roughDuration(125 * MINUTE)).toBe('2 h 05 min');
    expect(roughDuration((3 * 24 + 4) * 60 * MINUTE + 59 * MINUTE)).toBe('3 d 4 h');
  });
});

describe('utcMinute', () => {
  it('gives hours and minutes in UTC', () => {
    expect(utcMinute(Date.UTC(2026, 10, 29, 9, 5, 59))).toBe('09:05Z');
  });
});

describe('the join route', () => {
  it('is the incident list with its join form open', () => {
    expect(parseRoute('#/join')).toEqual({ screen: 'incidents', joining: true });
    expect(parseRoute('#/')).toEqual({ screen: 'incidents' });
  });
});
