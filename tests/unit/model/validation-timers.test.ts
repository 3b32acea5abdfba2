import {
  VALIDATION_WARNING_FRACTION,
  VALIDATION_WARNING_REMAINING_MS,
  validationTimers,
  type ValidationTimer,
} from '../../../shared/model/validation-timers';
import { formatDuration } from '../../../shared/model/incident-clock';
import type { IncidentState } from '../../../shared/model/incident';
import { incidentFixture, milestonesAt, utc } from './fixtures/incident-fixture';

const MINUTE = 60_000;

function timer(incident: IncidentState, now: number, id: string): ValidationTimer {
  const found = validationTimers(incident, now).find((t) => t.id === id);
  if (!found) throw new Error(`no validation item ${id}`);
  return found;
}

describe('validationTimers: the seed validation checklist as clocks', () => {
  it('gives one timer per checklist item, in the playbook order', () => {
    expect(validationTimers(incidentFixture(), utc('14:05')).map((t) => t.id)).toEqual([
      'detected-in-time',
      'team-notified-in-time',
      'root-cause-in-time',
      'communication-in-time',
      'recovered-within-rto',
      'post-mortem-in-time',
    ]);
  });

  it('names the warning thresholds: 80 % of the limit, or under 5 minutes left', () => {
    expect(VALIDATION_WARNING_FRACTION).toBe(0.8);
    expect(VALIDATION_WARNING_REMAINING_MS).toBe(5 * MINUTE);
  });

  describe('incident detected within 5 minutes', () => {
    it('impact at 13:55 and detected at 14:02 missed it by 2 minutes', () => {
      const incident = incidentFixture({ milestones: milestonesAt({ impactStarted: utc('13:55'), detected: utc('14:02') }) });
      const t = timer(incident, utc('14:30'), 'detected-in-time');
      expect(t).toMatchObject({ state: 'missed', urgency: 'breached', elapsedMs: 7 * MINUTE, deadline: utc('14:00') });
      expect(formatDuration(t.remainingMs ?? 0)).toBe('-2m 00s');
    });

    it('impact at 13:58 and detected at 14:02 met it with a minute to spare', () => {
      const incident = incidentFixture({ milestones: milestonesAt({ impactStarted: utc('13:58'), detected: utc('14:02') }) });
      expect(timer(incident, utc('14:30'), 'detected-in-time')).toMatchObject({ state: 'met', urgency: 'ok', remainingMs: MINUTE });
    });

    it('has not started while nobody knows when the impact started', () => {
      expect(timer(incidentFixture(), utc('14:30'), 'detected-in-time')).toMatchObject({ state: 'not-started', urgency: 'ok', endAt: utc('14:02') });
    });
  });

  describe('primary team notified within 10 minutes (detected 14:02)', () => {
    const waiting = incidentFixture();

    it('runs with 10 minutes to go right after detection', () => {
      expect(timer(waiting, utc('14:02'), 'team-notified-in-time')).toMatchObject({ state: 'running', urgency: 'ok', remainingMs: 10 * MINUTE, deadline: utc('14:12') });
    });

    it('warns once less than 5 minutes are left, even at half the limit', () => {
      expect(timer(waiting, utc('14:07'), 'team-notified-in-time').urgency).toBe('ok');
      expect(timer(waiting, utc('14:07:01'), 'team-notified-in-time')).toMatchObject({ state: 'running', urgency: 'warning' });
    });

    it('is missed once 14:12 passes with nobody notified', () => {
      expect(timer(waiting, utc('14:12'), 'team-notified-in-time')).toMatchObject({ state: 'running', urgency: 'warning', remainingMs: 0 });
      const late = timer(waiting, utc('14:13'), 'team-notified-in-time');
      expect(late).toMatchObject({ state: 'missed', urgency: 'breached' });
      expect(formatDuration(late.remainingMs ?? 0)).toBe('-1m 00s');
    });

    it('is met when the team is notified exactly at the deadline, missed 30 seconds later', () => {
      const onTime = incidentFixture({ milestones: milestonesAt({ detected: utc('14:02'), teamNotified: utc('14:12') }) });
      expect(timer(onTime, utc('15:00'), 'team-notified-in-time')).toMatchObject({ state: 'met', urgency: 'ok', elapsedMs: 10 * MINUTE });
      const late = incidentFixture({ milestones: milestonesAt({ detected: utc('14:02'), teamNotified: utc('14:12:30') }) });
      expect(timer(late, utc('15:00'), 'team-notified-in-time')).toMatchObject({ state: 'missed', urgency: 'breached', remainingMs: -30_000 });
    });
  });

  describe('root cause identified within 1 hour (P0/P1 only)', () => {
    it('does not apply to a P2 incident', () => {
      const p2 = incidentFixture({ severity: 'P2' });
      expect(timer(p2, utc('16:00'), 'root-cause-in-time')).toMatchObject({ applies: false, state: 'not-applicable', urgency: 'ok' });
    });

    it('applies to a P1 incident and follows the current severity after an escalation', () => {
      expect(timer(incidentFixture({ severity: 'P1' }), utc('14:30'), 'root-cause-in-time')).toMatchObject({ applies: true, state: 'running' });
      const escalated = incidentFixture({ severity: 'P0', severityHistory: [{ severity: 'P2', at: utc('14:02') }, { severity: 'P0', at: utc('14:20') }] });
      expect(timer(escalated, utc('14:30'), 'root-cause-in-time').applies).toBe(true);
    });

    it('warns at 80 % of the hour (48 minutes in), not before', () => {
      const incident = incidentFixture();
      expect(timer(incident, utc('14:49:59'), 'root-cause-in-time')).toMatchObject({ state: 'running', urgency: 'ok' });
      expect(timer(incident, utc('14:50'), 'root-cause-in-time')).toMatchObject({ state: 'running', urgency: 'warning', remainingMs: 12 * MINUTE });
    });
  });

  describe('communication sent within 30 minutes', () => {
    it('is met when the first communication went out at 14:25', () => {
      const incident = incidentFixture({ milestones: milestonesAt({ detected: utc('14:02'), firstCommunicationSent: utc('14:25') }) });
      expect(timer(incident, utc('14:40'), 'communication-in-time')).toMatchObject({ state: 'met', elapsedMs: 23 * MINUTE });
    });
  });

  describe('system recovered within RTO (the tightest RTO of the affected systems)', () => {
    const outage = (affectedSystems: string[], extra: Parameters<typeof milestonesAt>[0] = {}) =>
      incidentFixture({ affectedSystems, milestones: milestonesAt({ impactStarted: utc('13:55'), detected: utc('14:02'), ...extra }) });

    it('authentication and database affected: 1 hour from impact start, due 14:55', () => {
      const t = timer(outage(['authentication', 'database']), utc('14:30'), 'recovered-within-rto');
      expect(t).toMatchObject({ state: 'running', urgency: 'ok', limitMs: 60 * MINUTE, deadline: utc('14:55'), remainingMs: 25 * MINUTE });
    });

    it('is met when mitigated at 14:50 and missed when mitigated at 15:10', () => {
      expect(timer(outage(['authentication', 'database'], { mitigated: utc('14:50') }), utc('16:00'), 'recovered-within-rto').state).toBe('met');
      expect(timer(outage(['authentication', 'database'], { mitigated: utc('15:10') }), utc('16:00'), 'recovered-within-rto')).toMatchObject({ state: 'missed', urgency: 'breached' });
    });

    it('database alone gives 4 hours', () => {
      expect(timer(outage(['database']), utc('14:30'), 'recovered-within-rto').deadline).toBe(utc('17:55'));
    });

    it('has no limit when no affected system has a recovery objective', () => {
      expect(timer(outage([]), utc('14:30'), 'recovered-within-rto')).toMatchObject({ state: 'no-limit', urgency: 'ok' });
      expect(timer(outage(['mobile-app']), utc('14:30'), 'recovered-within-rto')).toMatchObject({ state: 'no-limit', urgency: 'ok' });
    });
  });

  describe('post-mortem completed within 7 days of resolution', () => {
    it('has not started while the incident is unresolved', () => {
      expect(timer(incidentFixture(), utc('18:00'), 'post-mortem-in-time').state).toBe('not-started');
    });

    it('runs from resolution and is missed when finished on day 8', () => {
      const resolved = milestonesAt({ detected: utc('14:02'), resolved: utc('16:00') });
      expect(timer(incidentFixture({ milestones: resolved }), utc('16:00', 2), 'post-mortem-in-time')).toMatchObject({ state: 'running', deadline: utc('16:00', 7) });
      const late = incidentFixture({ milestones: { ...resolved, ...milestonesAt({ postMortemDone: utc('10:00', 8) }) } });
      expect(timer(late, utc('10:00', 9), 'post-mortem-in-time')).toMatchObject({ state: 'missed', urgency: 'breached' });
    });
  });
});
