/**
 * A fixed incident for the export tests: a fake clock, one device named "Ana", and entries holding
 * what an export must survive — Unicode, commas, quotes, newlines, `<script>`, Markdown links and
 * images, and text a spreadsheet would run as a formula — plus a star, an amendment, a retraction,
 * a redaction, a severity change, a command handover, samples over a threshold, tasks and action
 * items, checklist notes, and a post-mortem marked final. Ids are random: `normaliseIds` replaces
 * them with stable names so a golden file can hold the rest byte for byte.
 */
import type { Core } from '../../electron/core/core';
import type { FakeClock } from './cores';

export const MINUTE = 60_000;

/** Text that must come out of every export as text, and never as markup or a formula. */
export const HOSTILE_TEXTS = {
  unicode: 'Ünïcødé: naïve café, 日本語のログ, emoji 🚒🔥, RTL עברית',
  commas: 'Rolled back v2.3.1, then "re-deployed", carefully',
  newlines: 'First line\nsecond line: # not a heading\n- not a list\n    not code',
  script: '<script>alert("pwned")</script><img src=x onerror=alert(1)>',
  links: 'See [the runbook](javascript:alert(1)) and ![tracker](http://evil.example/t.png) or <http://evil.example>',
  formula: '=HYPERLINK("http://evil.example","click me")',
  plus: '+44 20 7946 0000 called back',
  minus: '-2 replicas left',
  at: '@SUM(A1:A9) was pasted from a sheet',
} as const;

export function buildExportIncident(core: Core, clock: FakeClock, options: { drill?: boolean } = {}): string {
  const call = core.call.bind(core);
  const { incidentId } = call('incidents.declare', {
    title: 'Checkout "EU" outage — café <b>bold</b> [x](http://evil.example)',
    severity: 'P1',
    category: '',
    affectedSystems: ['database', 'api-services'],
    impactStartedAt: clock.now() - 6 * MINUTE,
    summary: `Payments failed for EU users.\n${HOSTILE_TEXTS.links}`,
    drill: options.drill ?? false,
  });
  const ana = call('roster.addPerson', { incidentId, name: 'Ana', contact: '+44 20 7946 0001', deviceIds: [core.deviceId] }).people[0].id;
  const bea = call('roster.addPerson', { incidentId, name: 'Bea "the DBA", Jr.', contact: '=cmd|calc' }).people.find((p) => p.name !== 'Ana')!.id;
  clock.advance(2 * MINUTE);
  call('roster.assign', { incidentId, roleId: 'incident-commander', personId: ana });
  call('roster.assign', { incidentId, roleId: 'database', personId: bea });

  const ids: Record<string, string> = {};
  for (const [key, text] of Object.entries(HOSTILE_TEXTS)) {
    clock.advance(MINUTE);
    ids[key] = call('timeline.add', { incidentId, kind: key === 'formula' ? 'decision' : 'note', text }).id;
  }
  call('timeline.star', { incidentId, entryId: ids.unicode, starred: true });
  clock.advance(MINUTE);
  call('timeline.amend', { incidentId, entryId: ids.commas, text: 'Rolled back v2.3.1, then "re-deployed" v2.3.2' });
  call('timeline.retract', { incidentId, entryId: ids.minus, reason: 'wrong cluster, "oops"' });
  call('timeline.redact', { incidentId, entryId: ids.plus, reason: 'personal phone number' });
  call('incidents.setField', { incidentId, field: 'severity', value: 'P0', reason: 'all EU checkouts failing' });
  call('incidents.advancePhase', { incidentId });

  for (const [minutes, value] of [[0, 0.4], [1, 2.5], [2, 7.5], [3, 12], [4, 6], [5, 0.8]] as const) {
    call('samples.add', { incidentId, metric: 'error-rate', value, t: clock.now() + minutes * MINUTE });
  }
  clock.advance(6 * MINUTE);
  call('comms.markSent', { incidentId, templateId: 'customer-update', text: 'We are investigating, <b>sorry</b>.' });
  call('incidents.setMilestone', { incidentId, milestone: 'teamNotified', at: clock.now() - MINUTE });
  call('tasks.add', { incidentId, title: 'Fail over to the replica, "fast"', ownerId: bea, dueAt: clock.now() + 30 * MINUTE });
  const improvement = call('tasks.add', { incidentId, title: 'Alert on connection pool =saturation', type: 'action-item', ownerId: ana }).id;
  call('tasks.add', { incidentId, title: 'Add a replica <script>', type: 'action-item' });
  call('checklist.tick', { incidentId, itemId: 'detection/check-error-logs' });
  call('checklist.note', { incidentId, itemId: 'detection/check-error-logs', note: '502s only, from 14:02' });

  clock.advance(20 * MINUTE);
  call('roster.handOverCommand', { incidentId, personId: bea, note: 'shift change' });
  call('incidents.setField', { incidentId, field: 'rootCause', value: 'Connection pool exhausted after a config push:\n`max_connections = 10`' });
  call('incidents.setMilestone', { incidentId, milestone: 'rootCauseIdentified', at: clock.now() });
  call('incidents.setField', { incidentId, field: 'impact.users', value: '~12,000 EU users, "checkout failed"' });
  call('incidents.setField', { incidentId, field: 'status', value: 'mitigated' });
  clock.advance(30 * MINUTE);
  call('incidents.setField', { incidentId, field: 'status', value: 'resolved' });

  clock.advance(2 * 24 * 60 * MINUTE);
  call('checklist.note', { incidentId, itemId: 'post-incident/lessons-learned', note: 'Config pushes need a canary.\n[not a link](http://evil.example)' });
  call('tasks.update', { incidentId, taskId: improvement, state: 'done' });
  call('incidents.markPostMortemFinal', { incidentId });
  return incidentId;
}

const UUID = /[0-9a-f]{8}(?:\\?-[0-9a-f]{4}){3}\\?-[0-9a-f]{12}/g;
const DEVICE = /\b[0-9a-f]{32}\b/g;

/** Replaces every UUID and device id with a name by order of first appearance: `<uuid-1>`, `<device-1>`. */
export function normaliseIds(text: string): string {
  const names = new Map<string, string>();
  const name = (kind: string, id: string) => {
    const key = id.replace(/\\/g, '');
    if (!names.has(key)) names.set(key, `<${kind}-${[...names.keys()].filter((k) => k.length === key.length).length + 1}>`);
    return names.get(key)!;
  };
  return text.replace(UUID, (id) => name('uuid', id)).replace(DEVICE, (id) => name('device', id));
}
