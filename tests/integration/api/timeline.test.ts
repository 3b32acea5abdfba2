/**
 * The timeline through the api: adding entries, corrections that point at the old entry (amend,
 * retract, redact), stars, search, filters and paging. The timeline is append-only: a correction
 * never removes what it corrects, except that a redaction blanks its text everywhere.
 */
import { T0 } from '../../support/cores';
import { callRaw, expectRefused, MINUTE, UNKNOWN_ENTRY, UNKNOWN_INCIDENT, withIncident, type ApiFixture } from '../../support/api-expect';

const add = (fx: ApiFixture, text: string, extra: { kind?: 'note' | 'action' | 'decision' | 'status-update' | 'communication' | 'metric-alert'; occurredAt?: number } = {}) =>
  fx.call('timeline.add', { incidentId: fx.incidentId, text, ...extra });

/** A system entry on the timeline (a severity change). */
const systemEntry = (fx: ApiFixture) => {
  fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
  return fx.timeline({ kinds: ['system'] })[0];
};

describe('timeline.add', () => {
  it('adds an entry with its kind, the time the author gives, and the author', () => {
    const fx = withIncident();
    fx.clock.advance(10 * MINUTE);
    const entry = add(fx, 'Rolled back deploy 4812', { kind: 'action', occurredAt: T0 + 2 * MINUTE });
    expect(entry).toMatchObject({
      source: 'entry',
      kind: 'action',
      text: 'Rolled back deploy 4812',
      occurredAt: T0 + 2 * MINUTE,
      by: 'Ana',
      device: fx.core.deviceId,
      starred: false,
      relation: null,
      supersededBy: null,
      retractedBy: null,
      redactedBy: null,
    });
    expect(fx.timeline()).toEqual([entry]);
  });

  it('defaults the kind to note and the occurred-at to now', () => {
    const fx = withIncident();
    fx.clock.advance(7 * MINUTE);
    expect(add(fx, 'Error rate at 14%')).toMatchObject({ kind: 'note', occurredAt: T0 + 7 * MINUTE });
  });

  it('shows entries in occurred-at order, whatever order they were written in', () => {
    const fx = withIncident();
    fx.clock.advance(20 * MINUTE);
    add(fx, 'second', { occurredAt: T0 + 10 * MINUTE });
    add(fx, 'first', { occurredAt: T0 + 5 * MINUTE });
    add(fx, 'third');
    expect(fx.timeline().map((e) => e.text)).toEqual(['first', 'second', 'third']);
  });

  it('refuses empty text, an unknown kind and the correction kinds, naming the field', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => add(fx, '  '), 'invalid-argument', 'text: required');
    expectRefused(fx.core, () => callRaw(fx.core, 'timeline.add', { incidentId: fx.incidentId, kind: 'gossip', text: 'x' }), 'invalid-argument', /^kind: /);
    expectRefused(fx.core, () => fx.call('timeline.add', { incidentId: fx.incidentId, kind: 'retraction', text: 'x' }), 'invalid-argument', /^kind: use timeline.retract/);
    expectRefused(fx.core, () => fx.call('timeline.add', { incidentId: fx.incidentId, kind: 'redaction', text: 'x' }), 'invalid-argument', /^kind: use timeline.redact/);
    expectRefused(fx.core, () => callRaw(fx.core, 'timeline.add', { incidentId: fx.incidentId, text: 'x', occurredAt: -1 }), 'invalid-argument', 'occurredAt: must be UTC milliseconds');
    expect(fx.timeline()).toEqual([]);
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('timeline.add', { incidentId: UNKNOWN_INCIDENT, text: 'x' }), 'not-found');
  });
});

describe('timeline.amend', () => {
  it('keeps the original visible, marked superseded, beside the new entry that supersedes it', () => {
    const fx = withIncident();
    const original = add(fx, 'DB failover at 14:05', { kind: 'decision', occurredAt: T0 + 5 * MINUTE });
    fx.clock.advance(15 * MINUTE);
    const amended = fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: original.id, text: 'DB failover at 14:06' });
    expect(amended).toMatchObject({ kind: 'decision', text: 'DB failover at 14:06', relation: 'supersedes', refersTo: original.id, occurredAt: T0 + 5 * MINUTE, by: 'Ana' });
    const [first, second] = fx.timeline();
    expect(first).toMatchObject({ id: original.id, text: 'DB failover at 14:05', supersededBy: amended.id });
    expect(second).toMatchObject({ id: amended.id, supersededBy: null });
  });

  it('refuses amending a system entry, a retracted entry and an unknown entry', () => {
    const fx = withIncident();
    const system = systemEntry(fx);
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: system.id, text: 'x' }), 'invalid-argument', /^entryId: system entries/);
    const entry = add(fx, 'wrong');
    fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: entry.id, reason: 'wrong incident' });
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: entry.id, text: 'x' }), 'invalid-argument', 'entryId: a retracted entry cannot be amended');
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: UNKNOWN_ENTRY, text: 'x' }), 'not-found');
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: 'e1', text: 'x' }), 'invalid-argument', 'entryId: must be a timeline entry id');
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: entry.id, text: '' }), 'invalid-argument', 'text: required');
  });
});

describe('timeline.retract', () => {
  it('marks the original retracted by a retraction entry carrying the reason', () => {
    const fx = withIncident();
    const entry = add(fx, 'Customer data leaked');
    fx.clock.advance(3 * MINUTE);
    const retraction = fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: entry.id, reason: 'False alarm: test data' });
    expect(retraction).toMatchObject({ kind: 'retraction', text: 'False alarm: test data', relation: 'retracts', refersTo: entry.id, occurredAt: T0 + 3 * MINUTE });
    expect(fx.timeline()).toEqual([expect.objectContaining({ id: entry.id, text: 'Customer data leaked', retractedBy: retraction.id }), retraction]);
  });

  it('refuses retracting twice, retracting a retraction, and a blank reason', () => {
    const fx = withIncident();
    const entry = add(fx, 'x');
    const retraction = fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: entry.id, reason: 'dup' });
    expectRefused(fx.core, () => fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: entry.id, reason: 'again' }), 'invalid-argument', 'entryId: the entry is already retracted');
    expectRefused(fx.core, () => fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: retraction.id, reason: 'x' }), 'invalid-argument', /^entryId: a retraction cannot be retracted/);
    const other = add(fx, 'y');
    expectRefused(fx.core, () => fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: other.id, reason: ' ' }), 'invalid-argument', 'reason: required');
    const system = systemEntry(fx);
    expectRefused(fx.core, () => fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: system.id, reason: 'x' }), 'invalid-argument', /^entryId: system entries/);
    expectRefused(fx.core, () => fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: UNKNOWN_ENTRY, reason: 'x' }), 'not-found');
  });
});

describe('timeline.redact', () => {
  it('blanks the original text everywhere; the redaction entry carries the reason', () => {
    const fx = withIncident();
    const entry = add(fx, 'Customer SSN 078-05-1120 in logs');
    add(fx, 'Rotated the logging bucket');
    fx.clock.advance(MINUTE);
    const redaction = fx.call('timeline.redact', { incidentId: fx.incidentId, entryId: entry.id, reason: 'personal data' });
    expect(redaction).toMatchObject({ kind: 'redaction', text: 'personal data', relation: 'redacts', refersTo: entry.id, by: 'Ana' });

    const redacted = fx.timeline().find((e) => e.id === entry.id);
    expect(redacted).toMatchObject({ text: '', redactedBy: redaction.id });
    expect(fx.call('timeline.list', { incidentId: fx.incidentId, text: '078-05' })).toEqual({ entries: [], total: 0, offset: 0 });
    expect(fx.call('timeline.list', { incidentId: fx.incidentId, text: 'ssn' }).total).toBe(0);

    // A rebuild from the op log (which still holds the signed original) must not bring the text back.
    fx.core.rebuild();
    expect(fx.timeline().find((e) => e.id === entry.id)?.text).toBe('');
    expect(fx.call('timeline.list', { incidentId: fx.incidentId, text: '078-05' }).total).toBe(0);
  });

  it('refuses redacting twice, amending a redacted entry, redacting a system entry', () => {
    const fx = withIncident();
    const entry = add(fx, 'secret');
    fx.call('timeline.redact', { incidentId: fx.incidentId, entryId: entry.id, reason: 'secret' });
    expectRefused(fx.core, () => fx.call('timeline.redact', { incidentId: fx.incidentId, entryId: entry.id, reason: 'again' }), 'invalid-argument', 'entryId: the entry is redacted and cannot be redacted');
    expectRefused(fx.core, () => fx.call('timeline.amend', { incidentId: fx.incidentId, entryId: entry.id, text: 'x' }), 'invalid-argument', 'entryId: the entry is redacted and cannot be amended');
    const system = systemEntry(fx);
    expectRefused(fx.core, () => fx.call('timeline.redact', { incidentId: fx.incidentId, entryId: system.id, reason: 'x' }), 'invalid-argument', /^entryId: system entries/);
    expectRefused(fx.core, () => fx.call('timeline.redact', { incidentId: fx.incidentId, entryId: UNKNOWN_ENTRY, reason: 'x' }), 'not-found');
    expectRefused(fx.core, () => callRaw(fx.core, 'timeline.redact', { incidentId: fx.incidentId, entryId: entry.id }), 'invalid-argument', 'reason: required');
  });
});

describe('timeline.star', () => {
  it('stars and unstars an entry, and the starred filter follows', () => {
    const fx = withIncident();
    const decision = add(fx, 'Fail over to eu-west-2', { kind: 'decision' });
    add(fx, 'noise');
    expect(fx.call('timeline.star', { incidentId: fx.incidentId, entryId: decision.id, starred: true })).toMatchObject({ id: decision.id, starred: true });
    expect(fx.timeline({ starred: true }).map((e) => e.text)).toEqual(['Fail over to eu-west-2']);
    expect(fx.timeline({ starred: false }).map((e) => e.text)).toEqual(['noise']);

    fx.call('timeline.star', { incidentId: fx.incidentId, entryId: decision.id, starred: false });
    expect(fx.timeline({ starred: true })).toEqual([]);
    // A star is a mark, not a fact: it puts nothing on the timeline.
    expect(fx.timeline({ kinds: ['system'] })).toEqual([]);
  });

  it('refuses starring a system entry and an unknown entry', () => {
    const fx = withIncident();
    const system = systemEntry(fx);
    expectRefused(fx.core, () => fx.call('timeline.star', { incidentId: fx.incidentId, entryId: system.id, starred: true }), 'invalid-argument', /^entryId: system entries cannot be starred/);
    expectRefused(fx.core, () => fx.call('timeline.star', { incidentId: fx.incidentId, entryId: UNKNOWN_ENTRY, starred: true }), 'not-found');
    expectRefused(fx.core, () => callRaw(fx.core, 'timeline.star', { incidentId: fx.incidentId, entryId: UNKNOWN_ENTRY, starred: 'yes' }), 'invalid-argument', /^starred: /);
  });
});

describe('timeline.list', () => {
  it('searches text case-insensitively', () => {
    const fx = withIncident();
    add(fx, 'Database CPU at 97%');
    add(fx, 'Paged the DBA on call');
    add(fx, 'Cache hit rate normal');
    expect(fx.timeline({ text: 'database' }).map((e) => e.text)).toEqual(['Database CPU at 97%']);
    expect(fx.timeline({ text: 'DBA' }).map((e) => e.text)).toEqual(['Paged the DBA on call']);
    expect(fx.timeline({ text: '100%' })).toEqual([]);
  });

  it('filters by kinds, system entries included', () => {
    const fx = withIncident();
    add(fx, 'looked at graphs');
    add(fx, 'Roll back', { kind: 'decision' });
    add(fx, 'Rolled back', { kind: 'action' });
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P2' });
    expect(fx.timeline({ kinds: ['decision', 'action'] }).map((e) => e.text)).toEqual(['Roll back', 'Rolled back']);
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toEqual(['Ana changed severity P1 → P2']);
  });

  it('filters by author, the device name at the time of writing', () => {
    const fx = withIncident({ name: 'Ana' });
    add(fx, 'from Ana');
    fx.call('device.setName', { name: 'Bea' });
    add(fx, 'from Bea');
    expect(fx.timeline({ authors: ['Bea'] }).map((e) => [e.by, e.text])).toEqual([['Bea', 'from Bea']]);
    expect(fx.timeline({ authors: ['Ana'] }).map((e) => [e.by, e.text])).toEqual([['Ana', 'from Ana']]);
    expect(fx.timeline({ authors: ['Cy'] })).toEqual([]);
  });

  it('pages with offset and limit, and says how many match in all', () => {
    const fx = withIncident();
    for (let i = 1; i <= 5; i += 1) {
      fx.clock.advance(MINUTE);
      add(fx, `entry ${i}`);
    }
    const page = fx.call('timeline.list', { incidentId: fx.incidentId, offset: 2, limit: 2 });
    expect(page.entries.map((e) => e.text)).toEqual(['entry 3', 'entry 4']);
    expect(page).toMatchObject({ total: 5, offset: 2 });
    expect(fx.call('timeline.list', { incidentId: fx.incidentId, offset: 4, limit: 2 }).entries.map((e) => e.text)).toEqual(['entry 5']);
    expect(fx.call('timeline.list', { incidentId: fx.incidentId, text: 'entry', limit: 1 })).toMatchObject({ total: 5, offset: 0 });
  });

  it('refuses a limit out of range, a negative offset, an unknown kind, and an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('timeline.list', { incidentId: fx.incidentId, limit: 0 }), 'invalid-argument', /^limit: /);
    expectRefused(fx.core, () => fx.call('timeline.list', { incidentId: fx.incidentId, limit: 1001 }), 'invalid-argument', /^limit: /);
    expectRefused(fx.core, () => fx.call('timeline.list', { incidentId: fx.incidentId, offset: -1 }), 'invalid-argument', /^offset: /);
    expectRefused(fx.core, () => callRaw(fx.core, 'timeline.list', { incidentId: fx.incidentId, kinds: ['gossip'] }), 'invalid-argument', /^kinds\[0\]: /);
    expectRefused(fx.core, () => fx.call('timeline.list', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});
