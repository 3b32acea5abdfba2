import { dueAlerts, REGULATORY_WARNING_MS, type DueAlert, type DueAlertKind } from '../../../shared/model/due-alerts';
import type { IncidentState } from '../../../shared/model/incident';
import { incidentFixture, milestonesAt, utc } from './fixtures/incident-fixture';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WARN = { warnBeforeMs: 5 * MINUTE };

/**
 * A P0 detected at 14:02 whose validation clocks are all stopped in time (team notified 14:05,
 * first communication 14:10, root cause 14:20), so only the update cadence speaks: the update sent
 * at 14:10 makes the next one due at 14:40.
 */
const calm = (overrides: Partial<IncidentState> = {}): IncidentState =>
  incidentFixture({
    milestones: milestonesAt({ detected: utc('14:02'), teamNotified: utc('14:05'), firstCommunicationSent: utc('14:10'), rootCauseIdentified: utc('14:20') }),
    communicationsSentAt: [utc('14:10')],
    ...overrides,
  });

const ofKind = (alerts: DueAlert[], kind: DueAlertKind): DueAlert[] => alerts.filter((a) => a.kind === kind);

describe('dueAlerts: what deserves a desktop notification now', () => {
  it('names the breach-clock warning: a day before the deadline', () => {
    expect(REGULATORY_WARNING_MS).toBe(24 * HOUR);
  });

  describe('the next status update (due 14:40, warn 5 minutes before)', () => {
    it('says nothing at 14:30 with 10 minutes to go', () => {
      expect(dueAlerts(calm(), utc('14:30'), WARN)).toEqual([]);
    });

    it('warns at 14:35, exactly 5 minutes before, and at 14:36', () => {
      const incident = calm();
      expect(dueAlerts(incident, utc('14:35'), WARN).map((a) => a.kind)).toEqual(['update-due']);
      const [due] = dueAlerts(incident, utc('14:36'), WARN);
      expect(due).toMatchObject({
        key: `${incident.id}:update-due:${utc('14:40')}`,
        urgency: 'warning',
        title: 'Status update due soon',
        message: 'P0 Checkout failing: the next status update is due at 2026-11-29 14:40 UTC, in 4m 00s.',
        dueAt: utc('14:40'),
      });
    });

    it('is overdue at 14:41 under another key, which stays the same at 14:50', () => {
      const incident = calm();
      const [late] = dueAlerts(incident, utc('14:41'), WARN);
      expect(late).toMatchObject({
        key: `${incident.id}:update-overdue:${utc('14:40')}`,
        kind: 'update-overdue',
        urgency: 'overdue',
        title: 'Status update overdue',
        message: 'P0 Checkout failing: the status update was due at 2026-11-29 14:40 UTC, 1m 00s ago.',
      });
      expect(dueAlerts(incident, utc('14:50'), WARN)[0].key).toBe(late.key);
    });

    it('an update sent at 14:45 moves the due time to 15:15, so 15:16 alerts again under a new key', () => {
      const before = dueAlerts(calm(), utc('14:41'), WARN)[0].key;
      const after = dueAlerts(calm({ communicationsSentAt: [utc('14:10'), utc('14:45')] }), utc('15:16'), WARN)[0];
      expect(after.kind).toBe('update-overdue');
      expect(after.dueAt).toBe(utc('15:15'));
      expect(after.key).not.toBe(before);
    });

    it('follows warnBeforeMs: with 15 minutes of warning, 14:30 already warns', () => {
      expect(dueAlerts(calm(), utc('14:30'), { warnBeforeMs: 15 * MINUTE }).map((a) => a.kind)).toEqual(['update-due']);
    });

    it('stops once the incident is resolved', () => {
      expect(dueAlerts(calm({ status: 'resolved' }), utc('15:30'), WARN)).toEqual([]);
    });
  });

  describe('validation limits (detected 14:02: team notified within 10 minutes, first communication within 30)', () => {
    const waiting = incidentFixture({ communicationsSentAt: [utc('14:02')] });

    it('warns at 14:08 that the team must be notified by 14:12', () => {
      const [risk] = ofKind(dueAlerts(waiting, utc('14:08'), WARN), 'validation-at-risk');
      expect(risk).toMatchObject({
        key: `${waiting.id}:validation-at-risk:team-notified-in-time:${utc('14:12')}`,
        urgency: 'warning',
        title: 'About to miss: Primary team notified within 10 minutes',
        message: 'P0 Checkout failing: 4m 00s left, until 2026-11-29 14:12 UTC.',
      });
    });

    it('says the limit was missed at 14:13, under a key that stays the same at 14:20', () => {
      const [missed] = ofKind(dueAlerts(waiting, utc('14:13'), WARN), 'validation-missed');
      expect(missed).toMatchObject({
        key: `${waiting.id}:validation-missed:team-notified-in-time:${utc('14:12')}`,
        urgency: 'overdue',
        title: 'Missed: Primary team notified within 10 minutes',
        message: 'P0 Checkout failing: the limit passed at 2026-11-29 14:12 UTC, 1m 00s ago.',
      });
      expect(ofKind(dueAlerts(waiting, utc('14:20'), WARN), 'validation-missed').map((a) => a.key)).toEqual([missed.key]);
    });

    it('at 14:27 warns about the first communication (80 % of 30 minutes used) as well', () => {
      const titles = ofKind(dueAlerts(waiting, utc('14:27'), WARN), 'validation-at-risk').map((a) => a.title);
      expect(titles).toEqual(['About to miss: Communication sent within 30 minutes']);
    });

    it('is quiet about a limit met late: notifying the team at 14:15 ends the alert', () => {
      const late = incidentFixture({
        communicationsSentAt: [utc('14:02')],
        milestones: milestonesAt({ detected: utc('14:02'), teamNotified: utc('14:15') }),
      });
      expect(dueAlerts(late, utc('14:16'), WARN)).toEqual([]);
    });

    it('ignores limits that do not apply to the severity: a P2 has no root-cause clock', () => {
      const p2 = incidentFixture({ severity: 'P2', milestones: milestonesAt({ detected: utc('14:02'), teamNotified: utc('14:05'), firstCommunicationSent: utc('14:10') }) });
      expect(dueAlerts(p2, utc('15:30'), WARN)).toEqual([]);
    });
  });

  describe('the 72-hour breach clock (aware at 14:30 on 29 November, deadline 14:30 on 2 December)', () => {
    const breach = calm({ status: 'resolved', breach: { flagged: true, awareAt: utc('14:30') } });

    it('says nothing with more than a day left', () => {
      expect(dueAlerts(breach, utc('14:29', 2), WARN)).toEqual([]);
    });

    it('warns once a day or less is left', () => {
      const [due] = dueAlerts(breach, utc('14:30', 2), WARN);
      expect(due).toMatchObject({
        key: `${breach.id}:regulatory-due:${utc('14:30', 3)}`,
        kind: 'regulatory-due',
        urgency: 'warning',
        title: 'Breach notice due within a day',
        message: 'P0 Checkout failing: tell the authorities by 2026-12-02 14:30 UTC, 1d 0h left.',
      });
    });

    it('is overdue a minute after the deadline', () => {
      const [late] = dueAlerts(breach, utc('14:31', 3), WARN);
      expect(late).toMatchObject({
        key: `${breach.id}:regulatory-overdue:${utc('14:30', 3)}`,
        kind: 'regulatory-overdue',
        message: 'P0 Checkout failing: the authorities had to be told by 2026-12-02 14:30 UTC, 1m 00s ago.',
      });
    });

    it('has no clock without a flagged breach', () => {
      expect(dueAlerts(calm({ status: 'resolved' }), utc('14:31', 3), WARN)).toEqual([]);
    });
  });

  it('keys alerts by incident, so two overdue incidents are two notifications', () => {
    const other = calm({ id: '0193f0a0-0000-7000-8000-000000000002' });
    const keys = [calm(), other].map((incident) => dueAlerts(incident, utc('14:41'), WARN)[0].key);
    expect(new Set(keys).size).toBe(2);
  });
});
