import { isQuickEntryError, mostRecentPast, parseQuickEntry, type QuickEntryContext } from '../../../shared/model/quick-entry';
import { utc } from './fixtures/incident-fixture';

const PHASES = [
  { id: 'detection', title: 'Detection & Assessment' },
  { id: 'containment', title: 'Containment' },
  { id: 'investigation', title: 'Investigation' },
  { id: 'recovery', title: 'Recovery' },
  { id: 'post-incident', title: 'Post-Incident' },
];

/** 14:30 UTC on 29 November 2026, in UTC. */
const at = (now: string, timezoneOffsetMinutes = 0, dayOffset = 0): QuickEntryContext => ({
  now: utc(now, dayOffset),
  timezoneOffsetMinutes,
  phases: PHASES,
});
const UTC_1430 = at('14:30');

describe('parseQuickEntry: entries', () => {
  it('plain text is a note that occurred when it is recorded', () => {
    expect(parseQuickEntry('  Error rate falling  ', UTC_1430)).toEqual({ kind: 'note', text: 'Error rate falling' });
  });

  it.each([
    ['/decision Roll back the deploy', 'decision'],
    ['/action Paged the DBA', 'action'],
    ['/comms Status page updated', 'communication'],
    ['/note Dashboards lag by a minute', 'note'],
    ['/status Mitigation in progress', 'status-update'],
    ['/Decision Roll back the deploy', 'decision'],
  ])('%s records a %s', (input, kind) => {
    const entry = parseQuickEntry(input, UTC_1430);
    expect(entry).toMatchObject({ kind });
    expect(entry).not.toHaveProperty('occurredAt');
    expect(entry).toMatchObject({ text: input.replace(/^\/\S+ /, '') });
  });

  it('keeps a second slash and an @name as text', () => {
    expect(parseQuickEntry('/note /var/log is full', UTC_1430)).toEqual({ kind: 'note', text: '/var/log is full' });
    expect(parseQuickEntry('@ana check DNS', UTC_1430)).toEqual({ kind: 'note', text: '@ana check DNS' });
  });
});

describe('parseQuickEntry: @time, at its most recent past occurrence', () => {
  it('@14:02Z at 14:30Z is 14:02Z today', () => {
    expect(parseQuickEntry('@14:02Z Paged DBA', UTC_1430)).toEqual({ kind: 'note', text: 'Paged DBA', occurredAt: utc('14:02') });
  });

  it('@14:45Z at 14:30Z has not happened today, so it is yesterday’s', () => {
    expect(parseQuickEntry('@14:45Z Deploy started', UTC_1430)).toMatchObject({ occurredAt: utc('14:45', -1) });
  });

  it('a time equal to now is now, not yesterday', () => {
    expect(parseQuickEntry('@14:30Z Now', UTC_1430)).toMatchObject({ occurredAt: utc('14:30') });
  });

  it('@14:02:30Z carries seconds; a lower-case z is UTC too', () => {
    expect(parseQuickEntry('@14:02:30Z Paged DBA', UTC_1430)).toMatchObject({ occurredAt: utc('14:02:30') });
    expect(parseQuickEntry('@9:05z Early page', UTC_1430)).toMatchObject({ occurredAt: utc('09:05') });
  });

  it('the command and the marker come in either order', () => {
    const expected = { kind: 'action', text: 'Paged DBA', occurredAt: utc('14:02') };
    expect(parseQuickEntry('/action @14:02Z Paged DBA', UTC_1430)).toEqual(expected);
    expect(parseQuickEntry('@14:02Z /action Paged DBA', UTC_1430)).toEqual(expected);
  });

  it('without Z the time is local: in UTC+1 at 14:30Z (15:30 local), @15:02 is 14:02Z', () => {
    expect(parseQuickEntry('@15:02 Paged DBA', at('14:30', 60))).toMatchObject({ occurredAt: utc('14:02') });
    // The same marker with Z ignores the time zone.
    expect(parseQuickEntry('@15:02Z Paged DBA', at('14:30', 60))).toMatchObject({ occurredAt: utc('15:02', -1) });
  });

  it('around local midnight: at 00:10 local (23:10Z, UTC+1), @23:50 is yesterday 23:50 local, @00:05 is today', () => {
    const justAfterMidnight = at('23:10', 60);
    // 23:50 local on the 29th is 22:50Z on the 29th.
    expect(parseQuickEntry('@23:50 DB failover', justAfterMidnight)).toMatchObject({ occurredAt: utc('22:50') });
    // 00:05 local on the 30th is 23:05Z on the 29th.
    expect(parseQuickEntry('@00:05 Alert fired', justAfterMidnight)).toMatchObject({ occurredAt: utc('23:05') });
    // In UTC it is still the 29th: @23:50Z has not happened yet today, so it is the 28th's.
    expect(parseQuickEntry('@23:50Z DB failover', justAfterMidnight)).toMatchObject({ occurredAt: utc('23:50', -1) });
  });

  it('west of UTC: at 22:00 local in UTC−5 (03:00Z on the 29th), @21:30 is 02:30Z and @23:00 is two evenings back', () => {
    const newYorkEvening = at('03:00', -300);
    expect(parseQuickEntry('@21:30 Paged DBA', newYorkEvening)).toMatchObject({ occurredAt: utc('02:30') });
    // 23:00 local on the 27th is 04:00Z on the 28th.
    expect(parseQuickEntry('@23:00 Deploy', newYorkEvening)).toMatchObject({ occurredAt: utc('04:00', -1) });
  });

  it('mostRecentPast is the rule itself', () => {
    expect(mostRecentPast(utc('14:30'), 0, (14 * 60 + 2) * 60_000)).toBe(utc('14:02'));
    expect(mostRecentPast(utc('14:30'), 0, (14 * 60 + 31) * 60_000)).toBe(utc('14:31', -1));
    expect(mostRecentPast(utc('14:30'), 330, 0)).toBe(utc('18:30', -1)); // UTC+5:30: local midnight is 18:30Z the day before
  });
});

describe('parseQuickEntry: severity and phase changes', () => {
  it('/sev P1 and /severity p0 change the severity', () => {
    expect(parseQuickEntry('/sev P1', UTC_1430)).toEqual({ kind: 'system', text: 'change severity to P1', command: { type: 'severity', severity: 'P1' } });
    expect(parseQuickEntry('/severity p0', UTC_1430)).toMatchObject({ command: { type: 'severity', severity: 'P0' } });
    expect(parseQuickEntry('/sev 2', UTC_1430)).toMatchObject({ command: { type: 'severity', severity: 'P2' } });
  });

  it('words after the severity are the reason', () => {
    expect(parseQuickEntry('/sev P0 payments down in EU', UTC_1430)).toMatchObject({
      command: { type: 'severity', severity: 'P0', reason: 'payments down in EU' },
    });
  });

  it('/phase takes a phase id or the start of its title, in any case', () => {
    expect(parseQuickEntry('/phase containment', UTC_1430)).toEqual({
      kind: 'system',
      text: 'move to phase Containment',
      command: { type: 'phase', phase: 'containment' },
    });
    expect(parseQuickEntry('/phase DETECTION & ass', UTC_1430)).toMatchObject({ command: { phase: 'detection' } });
    expect(parseQuickEntry('/phase post', UTC_1430)).toMatchObject({ command: { phase: 'post-incident' } });
    expect(parseQuickEntry('/phase Inv', UTC_1430)).toMatchObject({ command: { phase: 'investigation' } });
  });
});

describe('parseQuickEntry: what was wrong', () => {
  const errorOf = (input: string, context = UTC_1430) => {
    const result = parseQuickEntry(input, context);
    if (!isQuickEntryError(result)) throw new Error(`${input} parsed as ${JSON.stringify(result)}`);
    return result;
  };

  it('an unknown command names the ones there are', () => {
    expect(errorOf('/foo bar')).toEqual({
      code: 'unknown-command',
      error: 'unknown command /foo: use /decision, /action, /comms, /note, /status, /sev or /phase',
    });
  });

  it.each(['@25:00', '@14:60', '@14:02:61', '@14:2', '@14h02', '@1402'])('%s is not a time', (marker) => {
    const { code, error } = errorOf(`${marker} Paged DBA`);
    expect(code).toBe('not-a-time');
    expect(error).toMatch(new RegExp(`^${marker} is not a time`));
  });

  it('a command or marker with nothing after it, and an empty box', () => {
    expect(errorOf('/decision')).toMatchObject({ code: 'missing-text', error: '/decision needs some text after it' });
    expect(errorOf('@14:02Z  ')).toMatchObject({ code: 'missing-text', error: '@14:02Z needs some text after it' });
    expect(errorOf('   ').code).toBe('empty');
  });

  it('severity problems', () => {
    expect(errorOf('/sev')).toMatchObject({ code: 'missing-severity', error: '/sev needs a severity: P0, P1, P2 or P3' });
    expect(errorOf('/sev P5')).toMatchObject({ code: 'unknown-severity', error: '/sev P5: the severity must be P0, P1, P2 or P3' });
    expect(errorOf('/sev high').code).toBe('unknown-severity');
    expect(errorOf('@14:02 /sev P0')).toMatchObject({ code: 'time-on-change' });
  });

  it('phase problems', () => {
    expect(errorOf('/phase').code).toBe('missing-phase');
    expect(errorOf('/phase triage')).toMatchObject({ code: 'unknown-phase', error: expect.stringContaining('containment (Containment)') });
    expect(errorOf('/phase /')).toMatchObject({ code: 'unknown-phase' });
    const twoPhases = { ...UTC_1430, phases: [...PHASES, { id: 'recovery-check', title: 'Recovery check' }] };
    expect(errorOf('/phase reco', twoPhases)).toMatchObject({
      code: 'ambiguous-phase',
      error: '"reco" matches several phases: Recovery, Recovery check',
    });
    // An exact id wins over a longer title that starts the same.
    expect(parseQuickEntry('/phase recovery', twoPhases)).toMatchObject({ command: { phase: 'recovery' } });
  });

  it('an entry longer than the timeline holds', () => {
    expect(errorOf(`/note ${'x'.repeat(20_001)}`).code).toBe('too-long');
  });
});
