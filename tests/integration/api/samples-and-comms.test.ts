/**
 * Metric samples typed in by hand, and communication templates filled from the incident and marked
 * sent, through the api on a fake clock.
 */
import { nextUpdateDue } from '../../../shared/model/update-cadence';
import { T0 } from '../../support/cores';
import { callRaw, expectRefused, MINUTE, UNKNOWN_INCIDENT, withIncident } from '../../support/api-expect';

describe('samples.add', () => {
  it('adds a manual sample at now by default, from this device', () => {
    const fx = withIncident();
    fx.clock.advance(3 * MINUTE);
    const sample = fx.call('samples.add', { incidentId: fx.incidentId, metric: 'error-rate', value: 14.5 });
    expect(sample).toEqual({ metric: 'error-rate', source: 'manual', t: T0 + 3 * MINUTE, value: 14.5, device: fx.core.deviceId });
    expect(fx.call('samples.list', { incidentId: fx.incidentId })).toEqual([sample]);
  });

  it('takes the sample time from the caller', () => {
    const fx = withIncident();
    fx.clock.advance(10 * MINUTE);
    expect(fx.call('samples.add', { incidentId: fx.incidentId, metric: 'response-time', value: 2.4, t: T0 - MINUTE }).t).toBe(T0 - MINUTE);
  });

  it('says not-found for a metric the playbook does not track, listing the metrics it does', () => {
    const fx = withIncident();
    const error = expectRefused(fx.core, () => fx.call('samples.add', { incidentId: fx.incidentId, metric: 'happiness', value: 1 }), 'not-found');
    expect(error.message).toContain('"happiness"');
    expect(error.message).toContain('response-time, error-rate, throughput');
    expectRefused(fx.core, () => fx.call('samples.add', { incidentId: UNKNOWN_INCIDENT, metric: 'error-rate', value: 1 }), 'not-found');
  });

  it('refuses a value that is not a finite number, saying so rather than "required"', () => {
    const fx = withIncident();
    for (const value of [Number.POSITIVE_INFINITY, Number.NaN, '14']) {
      const error = expectRefused(fx.core, () => callRaw(fx.core, 'samples.add', { incidentId: fx.incidentId, metric: 'error-rate', value }), 'invalid-argument', /^value: /);
      expect(error.details).not.toContain('value: required');
    }
    expectRefused(fx.core, () => callRaw(fx.core, 'samples.add', { incidentId: fx.incidentId, metric: 'error-rate' }), 'invalid-argument', 'value: required');
    expect(fx.call('samples.list', { incidentId: fx.incidentId })).toEqual([]);
  });
});

describe('samples.list', () => {
  it('lists samples in time order, by metric and within a time range (inclusive)', () => {
    const fx = withIncident();
    const add = (metric: string, minutes: number, value: number) => fx.call('samples.add', { incidentId: fx.incidentId, metric, value, t: T0 + minutes * MINUTE });
    add('error-rate', 2, 5);
    add('error-rate', 0, 1);
    add('cpu', 1, 80);
    add('error-rate', 4, 9);
    const all = fx.call('samples.list', { incidentId: fx.incidentId });
    expect(all.map((s) => [s.metric, s.value])).toEqual([['error-rate', 1], ['cpu', 80], ['error-rate', 5], ['error-rate', 9]]);
    expect(fx.call('samples.list', { incidentId: fx.incidentId, metric: 'error-rate' }).map((s) => s.value)).toEqual([1, 5, 9]);
    expect(fx.call('samples.list', { incidentId: fx.incidentId, metric: 'error-rate', from: T0 + 2 * MINUTE, to: T0 + 4 * MINUTE }).map((s) => s.value)).toEqual([5, 9]);
    expect(fx.call('samples.list', { incidentId: fx.incidentId, to: T0 + MINUTE }).map((s) => s.value)).toEqual([1, 80]);
  });

  it('says not-found for an unknown incident and refuses a malformed time', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('samples.list', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
    expectRefused(fx.core, () => fx.call('samples.list', { incidentId: fx.incidentId, from: -5 }), 'invalid-argument', 'from: must be UTC milliseconds');
  });
});

describe('comms.render', () => {
  it('fills the internal notification from the incident', () => {
    const fx = withIncident({ declare: { severity: 'P1', title: 'Checkout failing', affectedSystems: ['authentication', 'database'] } });
    fx.clock.advance(5 * MINUTE);
    const rendered = fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'internal-notification' });
    expect(rendered.missing).toEqual([]);
    expect(rendered.subject).toBeNull();
    expect(rendered.body.split('\n')).toEqual([
      '🚨 INCIDENT DECLARED 🚨',
      '',
      'Priority: P1',
      'Title: Checkout failing',
      'Time: 2026-11-29 14:00 UTC',
      'Affected: Authentication, Database',
      'Status: Detection & Assessment',
      '',
      'Next Update: 2026-11-29 15:00 UTC',
    ]);
  });

  it('follows the incident as it changes', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    fx.call('incidents.advancePhase', { incidentId: fx.incidentId });
    const body = fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'internal-notification' }).body;
    expect(body).toContain('Priority: P0');
    expect(body).toContain('Status: Containment');
    expect(body).toContain('Next Update: 2026-11-29 14:30 UTC');
  });

  it('shows a placeholder with no value as [Label] and lists it as missing', () => {
    const fx = withIncident();
    const rendered = fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'internal-notification' });
    expect(rendered.body).toContain('Affected: [Systems/users affected]');
    expect(rendered.missing).toEqual(['affected']);
  });

  it('leaves manual placeholders of the customer update as [Label] until values are given', () => {
    const fx = withIncident({ declare: { summary: 'slow checkout for some EU customers' } });
    const empty = fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'customer-update' });
    expect(empty.subject).toBe('Emotion Economy Service Update');
    expect(empty.missing).toEqual(['estimated-resolution', 'status-page-url']);
    expect(empty.body).toContain("We're currently experiencing slow checkout for some EU customers.");
    expect(empty.body).toContain('Current Status: Investigating');
    expect(empty.body).toContain('Estimated Resolution: [Estimated resolution]');
    expect(empty.body).toContain('please check our status page: [Status page URL]');

    const filled = fx.call('comms.render', {
      incidentId: fx.incidentId,
      templateId: 'customer-update',
      values: { 'estimated-resolution': 'within 2 hours', 'status-page-url': 'https://status.example.com' },
    });
    expect(filled.missing).toEqual([]);
    expect(filled.body).toContain('Estimated Resolution: within 2 hours');
    expect(filled.body).toContain('please check our status page: https://status.example.com');
  });

  it('reads "Mitigated, monitoring" once the incident is mitigated', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'mitigated' });
    expect(fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'customer-update' }).body).toContain('Current Status: Mitigated, monitoring');
  });

  it('says not-found for an unknown template or incident, and refuses a non-text value', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'press-release' }), 'not-found');
    expectRefused(fx.core, () => fx.call('comms.render', { incidentId: UNKNOWN_INCIDENT, templateId: 'customer-update' }), 'not-found');
    expectRefused(fx.core, () => callRaw(fx.core, 'comms.render', { incidentId: fx.incidentId, templateId: 'customer-update', values: { 'status-page-url': 42 } }), 'invalid-argument', /^values\.status-page-url: /);
  });
});

describe('comms.markSent', () => {
  it('puts a communication entry on the timeline, sets first communication sent and resets the next update due', () => {
    const fx = withIncident({ declare: { severity: 'P1' } });
    fx.clock.advance(70 * MINUTE);
    const before = nextUpdateDue(fx.state(), fx.clock.now());
    expect(before).toMatchObject({ lastUpdateAt: T0, dueAt: T0 + 60 * MINUTE, overdue: true });

    const text = fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'internal-notification' }).body;
    const entry = fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'internal-notification', text });
    expect(entry).toMatchObject({ kind: 'communication', template: 'internal-notification', text, occurredAt: T0 + 70 * MINUTE, by: 'Ana', source: 'entry' });
    expect(fx.timeline({ kinds: ['communication'] })).toEqual([entry]);

    const state = fx.state();
    expect(state.milestones.firstCommunicationSent).toEqual({ at: T0 + 70 * MINUTE, source: 'default' });
    expect(nextUpdateDue(state, fx.clock.now())).toMatchObject({ lastUpdateAt: T0 + 70 * MINUTE, dueAt: T0 + 130 * MINUTE, overdue: false, remainingMs: 60 * MINUTE });
    expect(fx.call('comms.render', { incidentId: fx.incidentId, templateId: 'internal-notification' }).body).toContain('Next Update: 2026-11-29 16:10 UTC');
  });

  it('says not-found for an unknown template and refuses empty text, sending nothing', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'press-release', text: 'Hello' }), 'not-found');
    expectRefused(fx.core, () => fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'customer-update', text: '  ' }), 'invalid-argument', 'text: required');
    expectRefused(fx.core, () => fx.call('comms.markSent', { incidentId: UNKNOWN_INCIDENT, templateId: 'customer-update', text: 'Hello' }), 'not-found');
    expect(fx.state().milestones.firstCommunicationSent).toBeUndefined();
  });
});

describe('alerts.decide', () => {
  const alert = { alertKey: 'error-rate>5', suggestedSeverity: 'P0' as const, summary: 'error rate 7.5 % > 5 % (P0)' };

  it('accepting an alert puts it on the timeline and raises the severity, with the alert as the reason', () => {
    const fx = withIncident({ declare: { severity: 'P1' } });
    fx.clock.advance(12 * MINUTE);
    const entry = fx.call('alerts.decide', { incidentId: fx.incidentId, ...alert, decision: 'accept' });
    expect(entry).toMatchObject({ kind: 'metric-alert', occurredAt: T0 + 12 * MINUTE, by: 'Ana' });
    expect(entry.text).toContain('error rate 7.5 % > 5 % (P0)');
    expect(fx.state().severity).toBe('P0');
    expect(fx.lastSystemText()).toBe('Ana changed severity P1 → P0 — reason: metric alert: error rate 7.5 % > 5 % (P0)');
  });

  it('dismissing an alert records it and leaves the severity alone', () => {
    const fx = withIncident({ declare: { severity: 'P1' } });
    const entry = fx.call('alerts.decide', { incidentId: fx.incidentId, ...alert, decision: 'dismiss' });
    expect(entry.kind).toBe('metric-alert');
    expect(entry.text).toContain('error rate 7.5 % > 5 % (P0)');
    expect(fx.state().severity).toBe('P1');
    expect(fx.timeline({ kinds: ['system'] })).toEqual([]);
  });

  it('refuses an unknown decision or severity, and says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'alerts.decide', { incidentId: fx.incidentId, ...alert, decision: 'snooze' }), 'invalid-argument', /^decision: /);
    expectRefused(fx.core, () => callRaw(fx.core, 'alerts.decide', { incidentId: fx.incidentId, ...alert, suggestedSeverity: 'P9', decision: 'accept' }), 'invalid-argument', /^suggestedSeverity: /);
    expectRefused(fx.core, () => fx.call('alerts.decide', { incidentId: fx.incidentId, ...alert, summary: ' ', decision: 'accept' }), 'invalid-argument', 'summary: required');
    expectRefused(fx.core, () => fx.call('alerts.decide', { incidentId: UNKNOWN_INCIDENT, ...alert, decision: 'accept' }), 'not-found');
  });
});
