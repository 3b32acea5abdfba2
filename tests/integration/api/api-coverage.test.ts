/**
 * Every method of the api contract, iterated from API_METHODS: each has a valid call that answers,
 * an invalid call refused with its typed error, and each refuses an unknown key (arguments are
 * strict objects), an empty or non-object argument and writes nothing when it refuses.
 *
 * The table is typed over ApiMethod, so a method added to shared/api.ts without a case here fails
 * the type check as well as the first test.
 */
import { API_METHODS, type ApiArgs, type ApiMethod } from '../../../shared/api';
import type { ErrorCode } from '../../../shared/errors';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { T0 } from '../../support/cores';
import {
  addPerson,
  callRaw,
  expectRefused,
  UNKNOWN_ENTRY,
  UNKNOWN_INCIDENT,
  withIncident,
  type ApiFixture,
} from '../../support/api-expect';

/** An incident with a note, a person (Bea) and a task: something for every method to point at. */
interface World extends ApiFixture {
  entryId: string;
  systemEntryId: string;
  personId: string;
  taskId: string;
}

function world(): World {
  const fx = withIncident();
  const entryId = fx.call('timeline.add', { incidentId: fx.incidentId, text: 'Error rate 14%' }).id;
  const personId = addPerson(fx, 'Bea');
  const taskId = fx.call('tasks.add', { incidentId: fx.incidentId, title: 'Roll back' }).id;
  return { ...fx, entryId, personId, taskId, systemEntryId: fx.timeline({ kinds: ['system'] })[0].id };
}

interface Refusal {
  args: unknown;
  code: ErrorCode;
  /** For 'invalid-argument' and 'invalid-playbook': one of the error's details (the path and what is wrong). */
  detail?: string | RegExp;
  /** For 'not-found': what the message must name, so a person sees which id was unknown. */
  names?: string;
}

type Cases = { [M in ApiMethod]: { valid: (w: World) => ApiArgs<M>; invalid: (w: World) => Refusal } };

const ITEM = 'detection/check-error-logs';
/** A P1 incident's notification-policy step. */
const STEP = 'notification:P1';
/** Nothing listens on port 9 (discard) here: shared incidents just keep retrying in the background. */
const NO_RELAY = '127.0.0.1:9';
/** A read link to another device's incident, for incidents.join. */
let otherReadLink: string | undefined;
const readLinkToAnotherIncident = (): string => {
  if (!otherReadLink) {
    const other = withIncident({ name: 'Dee' });
    otherReadLink = other.call('incidents.share', { incidentId: other.incidentId, relay: NO_RELAY }).readLink;
  }
  return otherReadLink;
};
const RELAY_SHAPE = 'relay: expected "host:port" or a ws:// or wss:// URL';
/** Nothing listens on port 9: a source that is never polled in these tests anyway. */
const HEALTH_SOURCE = { name: 'API health', kind: 'http-health', address: 'http://127.0.0.1:9/health', metric: 'response-time' } as const;
const refuse = (args: unknown, code: ErrorCode, detail: string | RegExp): Refusal => ({ args, code, detail });
const notFound = (args: unknown, names: string): Refusal => ({ args, code: 'not-found', names });

const CASES: Cases = {
  'device.get': { valid: () => ({}), invalid: () => refuse({ name: 'Ana' }, 'invalid-argument', /name/) },
  'device.setName': { valid: () => ({ name: 'War room' }), invalid: () => refuse({ name: '' }, 'invalid-argument', 'name: required') },

  'playbook.getActive': { valid: () => ({}), invalid: () => refuse({ origin: 'default' }, 'invalid-argument', /origin/) },
  'playbook.load': {
    valid: () => ({ fileName: 'copy.json', text: JSON.stringify(DEFAULT_PLAYBOOK) }),
    invalid: () => refuse({ fileName: 'list.json', text: '[]' }, 'invalid-playbook', /^\(root\): /),
  },
  'playbook.reset': { valid: () => ({}), invalid: () => refuse({ force: true }, 'invalid-argument', /force/) },

  'incidents.declare': {
    valid: () => ({ title: 'Second incident', severity: 'P2' }),
    invalid: () => refuse({ title: 'x', severity: 'P1', detectedAt: T0, impactStartedAt: T0 + 1 }, 'invalid-argument', 'impactStartedAt: must not be after the detection time'),
  },
  'incidents.list': { valid: () => ({}), invalid: () => refuse({ all: true }, 'invalid-argument', /all/) },
  'incidents.get': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'incidents.setField': {
    valid: (w) => ({ incidentId: w.incidentId, field: 'severity', value: 'P0' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, field: 'breach', value: { flagged: true, awareAt: null } }, 'invalid-argument', 'value.awareAt: required when the breach flag is set'),
  },
  'incidents.setMilestone': {
    valid: (w) => ({ incidentId: w.incidentId, milestone: 'teamNotified', at: T0 }),
    invalid: (w) => refuse({ incidentId: w.incidentId, milestone: 'detected', at: T0 - 1 }, 'invalid-argument', /^reason: required/),
  },
  'incidents.advancePhase': {
    valid: (w) => ({ incidentId: w.incidentId }),
    invalid: (w) => refuse({ incidentId: w.incidentId, phase: 'triage' }, 'invalid-argument', /^phase: no phase "triage"/),
  },
  'incidents.close': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },

  'incidents.flagBreach': {
    valid: (w) => ({ incidentId: w.incidentId, awareAt: T0, data: 'emails', users: 'about 1,200' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, awareAt: T0 + 3_600_000 }, 'invalid-argument', 'awareAt: must not be in the future: when did the organisation become aware?'),
  },
  'timeline.add': { valid: (w) => ({ incidentId: w.incidentId, text: 'Paged DBA' }), invalid: (w) => refuse({ incidentId: w.incidentId, text: '' }, 'invalid-argument', 'text: required') },
  'timeline.amend': {
    valid: (w) => ({ incidentId: w.incidentId, entryId: w.entryId, text: 'Error rate 15%' }),
    invalid: (w) => notFound({ incidentId: w.incidentId, entryId: UNKNOWN_ENTRY, text: 'x' }, UNKNOWN_ENTRY),
  },
  'timeline.retract': {
    valid: (w) => ({ incidentId: w.incidentId, entryId: w.entryId, reason: 'wrong incident' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, entryId: w.entryId, reason: ' ' }, 'invalid-argument', 'reason: required'),
  },
  'timeline.redact': {
    valid: (w) => ({ incidentId: w.incidentId, entryId: w.entryId, reason: 'personal data' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, entryId: w.systemEntryId, reason: 'x' }, 'invalid-argument', /^entryId: system entries/),
  },
  'timeline.star': {
    valid: (w) => ({ incidentId: w.incidentId, entryId: w.entryId, starred: true }),
    invalid: (w) => notFound({ incidentId: w.incidentId, entryId: UNKNOWN_ENTRY, starred: true }, UNKNOWN_ENTRY),
  },
  'timeline.list': { valid: (w) => ({ incidentId: w.incidentId }), invalid: (w) => refuse({ incidentId: w.incidentId, limit: 0 }, 'invalid-argument', /^limit: /) },

  'roster.get': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'roster.addPerson': {
    valid: (w) => ({ incidentId: w.incidentId, name: 'Cy' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, name: 'Cy', deviceIds: ['laptop'] }, 'invalid-argument', 'deviceIds[0]: must be a device id'),
  },
  'roster.updatePerson': {
    valid: (w) => ({ incidentId: w.incidentId, personId: w.personId, contact: '+44 20 7946 0000' }),
    invalid: (w) => notFound({ incidentId: w.incidentId, personId: 'nobody', name: 'x' }, 'nobody'),
  },
  'roster.assign': {
    valid: (w) => ({ incidentId: w.incidentId, roleId: 'qa', personId: w.personId }),
    invalid: (w) => notFound({ incidentId: w.incidentId, roleId: 'scribe', personId: w.personId }, 'scribe'),
  },
  'roster.handOverCommand': {
    valid: (w) => ({ incidentId: w.incidentId, personId: w.personId, note: 'shift change' }),
    invalid: (w) => notFound({ incidentId: w.incidentId, personId: 'nobody' }, 'nobody'),
  },

  'checklist.get': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => refuse({ incidentId: 'checkout' }, 'invalid-argument', 'incidentId: must be an incident id') },
  'checklist.tick': { valid: (w) => ({ incidentId: w.incidentId, itemId: ITEM }), invalid: (w) => notFound({ incidentId: w.incidentId, itemId: 'detection/nope' }, 'detection/nope') },
  'checklist.untick': { valid: (w) => ({ incidentId: w.incidentId, itemId: ITEM }), invalid: (w) => refuse({ incidentId: w.incidentId, itemId: '' }, 'invalid-argument', 'itemId: required') },
  'checklist.assign': {
    valid: (w) => ({ incidentId: w.incidentId, itemId: ITEM, personId: w.personId }),
    invalid: (w) => notFound({ incidentId: w.incidentId, itemId: ITEM, personId: 'nobody' }, 'nobody'),
  },
  'checklist.note': {
    valid: (w) => ({ incidentId: w.incidentId, itemId: ITEM, note: '502s only' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, itemId: ITEM, note: 'x'.repeat(20_001) }, 'invalid-argument', 'note: at most 20000 characters'),
  },

  'tasks.list': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'tasks.add': {
    valid: (w) => ({ incidentId: w.incidentId, title: 'Rotate cert', ownerId: w.personId, dueAt: T0 + 3_600_000 }),
    invalid: (w) => notFound({ incidentId: w.incidentId, title: 'x', ownerId: 'nobody' }, 'nobody'),
  },
  'tasks.update': {
    valid: (w) => ({ incidentId: w.incidentId, taskId: w.taskId, state: 'done' }),
    invalid: (w) => notFound({ incidentId: w.incidentId, taskId: 'no-such-task', state: 'done' }, 'no-such-task'),
  },

  'steps.list': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'steps.done': {
    valid: (w) => ({ incidentId: w.incidentId, stepId: STEP, note: 'called Bea' }),
    invalid: (w) => notFound({ incidentId: w.incidentId, stepId: 'action:P0/scale-resources' }, 'action:P0/scale-resources'),
  },
  'steps.skip': {
    valid: (w) => ({ incidentId: w.incidentId, stepId: STEP, reason: 'Slack is down' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, stepId: STEP, reason: '  ' }, 'invalid-argument', 'reason: required: say why the step is skipped'),
  },
  'steps.reopen': {
    valid: (w) => (w.call('steps.done', { incidentId: w.incidentId, stepId: STEP }), { incidentId: w.incidentId, stepId: STEP }),
    invalid: (w) => refuse({ incidentId: w.incidentId, stepId: STEP }, 'invalid-argument', `stepId: "Notify the primary response team now" is already open`),
  },

  'samples.add': {
    valid: (w) => ({ incidentId: w.incidentId, metric: 'error-rate', value: 7.5 }),
    invalid: (w) => notFound({ incidentId: w.incidentId, metric: 'happiness', value: 1 }, 'happiness'),
  },
  'samples.list': { valid: (w) => ({ incidentId: w.incidentId, metric: 'cpu' }), invalid: (w) => refuse({ incidentId: w.incidentId, to: -1 }, 'invalid-argument', 'to: must be UTC milliseconds') },

  'samples.importCsv': {
    valid: (w) => ({ incidentId: w.incidentId, text: 'time,metric,value\n1764424800000,error-rate,6.5\n' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, text: '1764424800000,error-rate,6.5\nyesterday,error-rate,7\n' }, 'invalid-argument', /^text line 2: time "yesterday"/),
  },

  'sources.list': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'sources.save': {
    valid: (w) => ({ incidentId: w.incidentId, config: HEALTH_SOURCE }),
    invalid: (w) => refuse({ incidentId: w.incidentId, config: { ...HEALTH_SOURCE, intervalMs: 500 } }, 'invalid-argument', 'config.intervalMs: must be at least 1 s'),
  },
  'sources.remove': {
    valid: (w) => ({ incidentId: w.incidentId, sourceId: w.call('sources.save', { incidentId: w.incidentId, config: HEALTH_SOURCE }).id }),
    invalid: (w) => notFound({ incidentId: w.incidentId, sourceId: UNKNOWN_ENTRY }, UNKNOWN_ENTRY),
  },
  'sources.setPolling': {
    valid: (w) => ({ incidentId: w.incidentId, sourceId: w.call('sources.save', { incidentId: w.incidentId, config: HEALTH_SOURCE }).id, polling: false }),
    invalid: (w) => notFound({ incidentId: w.incidentId, sourceId: UNKNOWN_ENTRY, polling: true }, UNKNOWN_ENTRY),
  },
  'sources.setCredentials': {
    valid: (w) => ({ incidentId: w.incidentId, sourceId: w.call('sources.save', { incidentId: w.incidentId, config: HEALTH_SOURCE }).id, credentials: { kind: 'bearer', token: 's3cret' } }),
    invalid: (w) =>
      refuse(
        { incidentId: w.incidentId, sourceId: w.call('sources.save', { incidentId: w.incidentId, config: HEALTH_SOURCE }).id, credentials: { kind: 'bearer', token: '' } },
        'invalid-argument',
        'credentials.token: required',
      ),
  },

  'alerts.list': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'metrics.series': {
    valid: (w) => ({ incidentId: w.incidentId, rangeMs: 15 * 60_000 }),
    invalid: (w) => refuse({ incidentId: w.incidentId, rangeMs: 0 }, 'invalid-argument', 'rangeMs: must be a positive duration'),
  },
  'alerts.decide': {
    valid: (w) => ({ incidentId: w.incidentId, alertKey: 'error-rate>5', suggestedSeverity: 'P0', decision: 'accept', summary: 'error rate 7.5 % > 5 % (P0)' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, alertKey: 'error-rate>5', suggestedSeverity: 'P0', decision: 'maybe', summary: 'x' }, 'invalid-argument', /^decision: /),
  },

  'sync.status': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'sync.reconnect': { valid: () => ({}), invalid: () => refuse({ incidentId: 'x' }, 'invalid-argument', /incidentId/) },
  'incidents.share': {
    valid: (w) => ({ incidentId: w.incidentId, relay: NO_RELAY }),
    invalid: (w) => refuse({ incidentId: w.incidentId, relay: 'relay.example.org' }, 'invalid-argument', RELAY_SHAPE),
  },
  'incidents.links': {
    valid: (w) => (w.call('incidents.share', { incidentId: w.incidentId, relay: NO_RELAY }), { incidentId: w.incidentId }),
    invalid: (w) => notFound({ incidentId: w.incidentId }, w.incidentId),
  },
  'incidents.join': {
    valid: () => ({ link: readLinkToAnotherIncident(), name: 'Cy' }),
    invalid: () => refuse({ link: 'sitrep://join/relay:1/nothing#AAAA', name: 'Cy' }, 'invalid-argument', /^link: /),
  },
  'incidents.moveRelay': {
    valid: (w) => ({ incidentId: w.incidentId, relay: 'ws://127.0.0.1:7' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, relay: 'ws://127.0.0.1:7/path' }, 'invalid-argument', RELAY_SHAPE),
  },
  'relay.host': { valid: () => ({ port: 0 }), invalid: () => refuse({ port: 70_000 }, 'invalid-argument', /^port: /) },
  'relay.hosted': { valid: () => ({}), invalid: () => refuse({ port: 1 }, 'invalid-argument', /port/) },
  'relay.stopHosting': { valid: () => ({}), invalid: () => refuse({ force: true }, 'invalid-argument', /force/) },

  'drills.start': {
    valid: () => ({ fileName: 'drill.json', text: JSON.stringify({ name: 'Q4 drill', title: 'Drill: DB down', severity: 'P1', entries: [{ atSeconds: 0, text: 'Pager fires' }] }) }),
    invalid: () => refuse({ fileName: 'drill.json', text: JSON.stringify({ name: 'Q4', title: 'x', severity: 'P1', entries: [{ atSeconds: -5, text: 'x' }] }) }, 'invalid-argument', 'entries[0].atSeconds: must be 0 or more'),
  },
  'drills.report': {
    valid: (w) => ({ incidentId: w.call('incidents.declare', { title: 'Drill', severity: 'P2', drill: true }).incidentId }),
    invalid: (w) => refuse({ incidentId: w.incidentId }, 'invalid-argument', 'incidentId: this incident is not a drill'),
  },
  'drills.end': {
    valid: (w) => ({ incidentId: w.call('incidents.declare', { title: 'Drill', severity: 'P2', drill: true }).incidentId }),
    invalid: (w) => refuse({ incidentId: w.incidentId }, 'invalid-argument', 'incidentId: this incident is not a drill'),
  },
  'directory.list': { valid: () => ({}), invalid: () => refuse({ kind: 'person' }, 'invalid-argument', /kind/) },
  'directory.save': {
    valid: () => ({ kind: 'person', name: 'Bea Lind', roles: ['technical-lead'], phone: '+44 20 7946 0000' }),
    invalid: () => refuse({ kind: 'pet', name: 'Rex' }, 'invalid-argument', 'kind: must be person, vendor or runbook'),
  },
  'directory.remove': {
    valid: (w) => ({ id: w.call('directory.save', { kind: 'vendor', name: 'Acme DNS' })[0].id }),
    invalid: () => notFound({ id: 'no-such-entry' }, 'no-such-entry'),
  },
  'directory.import': {
    valid: () => ({ fileName: 'team.csv', text: 'kind,name,phone\nperson,Bea Lind,555-0100\n' }),
    invalid: () => refuse({ fileName: 'team.csv', text: 'kind,name\nperson,Bea\nrobot,R2\n' }, 'invalid-argument', 'line 3: kind: must be person, vendor or runbook'),
  },
  'directory.export': { valid: () => ({ format: 'csv' }), invalid: () => refuse({ format: 'xlsx' }, 'invalid-argument', /^format: /) },

  'comms.render': { valid: (w) => ({ incidentId: w.incidentId, templateId: 'customer-update' }), invalid: (w) => notFound({ incidentId: w.incidentId, templateId: 'press-release' }, 'press-release') },
  'comms.markSent': {
    valid: (w) => ({ incidentId: w.incidentId, templateId: 'customer-update', text: 'Dear valued user' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, templateId: 'customer-update', text: '' }, 'invalid-argument', 'text: required'),
  },

  'review.metrics': {
    valid: () => ({ from: T0 - 86_400_000, to: T0 + 86_400_000, severities: ['P0', 'P1'] }),
    invalid: () => refuse({ from: T0 + 1, to: T0 }, 'invalid-argument', 'to: must be after from'),
  },
  'backups.take': { valid: () => ({}), invalid: () => refuse({ keep: 3 }, 'invalid-argument', /keep/) },
  'backups.list': { valid: () => ({}), invalid: () => refuse({ folder: '/tmp' }, 'invalid-argument', /folder/) },
  'evidence.export': { valid: (w) => ({ incidentId: w.incidentId }), invalid: () => notFound({ incidentId: UNKNOWN_INCIDENT }, UNKNOWN_INCIDENT) },
  'evidence.import': {
    valid: (w) => ({ bundle: w.call('evidence.export', { incidentId: w.incidentId }).bundle }),
    invalid: () => refuse({ bundle: Buffer.from('SITREPEV').toString('base64') }, 'invalid-bundle', /^truncated: /),
  },
  'incidents.markPostMortemFinal': {
    valid: (w) => (w.call('incidents.setField', { incidentId: w.incidentId, field: 'status', value: 'resolved' }), { incidentId: w.incidentId }),
    invalid: (w) => refuse({ incidentId: w.incidentId }, 'invalid-argument', /^final: the incident is active/),
  },
  'export.incident': {
    valid: (w) => ({ incidentId: w.incidentId, format: 'md' }),
    invalid: (w) => refuse({ incidentId: w.incidentId, format: 'docx' }, 'invalid-argument', /^format: /),
  },
};

/** Methods whose every argument may be left out. */
const NO_REQUIRED_ARGS = new Set<ApiMethod>([
  'device.get',
  'playbook.getActive',
  'playbook.reset',
  'incidents.list',
  'relay.host',
  'relay.hosted',
  'relay.stopHosting',
  'sync.reconnect',
  'review.metrics',
  'backups.take',
  'backups.list',
  'directory.list',
]);

describe('every api method', () => {
  it('has a valid and an invalid case here', () => {
    expect(Object.keys(CASES).sort()).toEqual([...API_METHODS].sort());
  });

  // Through invoke, as the UI calls: relay.host and relay.stopHosting start or stop a server and answer only there.
  it.each(API_METHODS)('%s answers a valid call', async (method) => {
    const w = world();
    const result = await w.core.invoke(method, CASES[method].valid(w) as never);
    expect(result).toBeDefined();
  });

  it.each(API_METHODS)('%s refuses its invalid call with the typed error, writing nothing', (method) => {
    const w = world();
    const { args, code, detail, names } = CASES[method].invalid(w);
    const error = expectRefused(w.core, () => callRaw(w.core, method, args), code, detail);
    if (names) expect(error.message).toContain(names);
  });

  describe('refusals that write nothing, on one shared incident', () => {
    let w: World;
    beforeAll(() => {
      w = world();
    });

    it.each(API_METHODS)('%s refuses an unknown key, naming it', (method) => {
      const args = { ...(CASES[method].valid(w) as object), severityy: 'P0' };
      const error = expectRefused(w.core, () => callRaw(w.core, method, args), 'invalid-argument', '(root): Unrecognized key: "severityy" (severityy)');
      expect(error.message).toContain('severityy');
    });

    it.each(API_METHODS)('%s called with {} answers or names each missing field as required', async (method) => {
      if (NO_REQUIRED_ARGS.has(method)) {
        expect(await w.core.invoke(method, {} as never)).toBeDefined();
        return;
      }
      const error = expectRefused(w.core, () => callRaw(w.core, method, {}), 'invalid-argument');
      expect(error.details.length).toBeGreaterThan(0);
      for (const detail of error.details) expect(detail).toMatch(/^[\w.]+: required$/);
    });

    it.each(API_METHODS)('%s refuses arguments that are not an object, saying what was expected', (method) => {
      for (const args of ['incident', 42, [], true]) {
        expectRefused(w.core, () => callRaw(w.core, method, args), 'invalid-argument', /^\(root\): .*expected object/);
      }
    });
  });

  it('a value of the wrong type reads as the type expected, not as "required"', () => {
    const w = world();
    const error = expectRefused(w.core, () => callRaw(w.core, 'incidents.get', { incidentId: 42 }), 'invalid-argument', /^incidentId: .*expected string/);
    expect(error.details).not.toContain('incidentId: required');
    expectRefused(w.core, () => callRaw(w.core, 'timeline.star', { incidentId: w.incidentId, entryId: w.entryId, starred: 'yes' }), 'invalid-argument', /^starred: .*expected boolean/);
  });

  it('an unknown method is refused, not a crash', () => {
    const w = world();
    const error = expectRefused(w.core, () => callRaw(w.core, 'incidents.delete', { incidentId: w.incidentId }), 'invalid-argument');
    expect(error.message).toContain('incidents.delete');
    expectRefused(w.core, () => callRaw(w.core, 'toString', {}), 'invalid-argument');
  });
});
