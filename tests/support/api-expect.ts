/**
 * Helpers for api tests: a core with a named device and an incident, refusals asserted by their
 * typed code and detail, and "nothing was written" checked against the op log and local settings.
 */
import type { Core } from '../../electron/core/core';
import type { ApiArgs, ApiMethod, ApiResult, TimelineEntryView } from '../../shared/api';
import { SitrepError, type ErrorCode } from '../../shared/errors';
import type { IncidentState } from '../../shared/model/incident';
import type { ChecklistItemView, RoleView } from '../../shared/model/views';
import { testCore, type FakeClock } from './cores';

export const MINUTE = 60_000;

/** Well-formed ids nothing on a fresh device refers to. */
export const UNKNOWN_INCIDENT = '019ad000-0000-7000-8000-000000000000';
export const UNKNOWN_ENTRY = '019ad000-0000-7000-8000-00000000beef';

/** Calls a method with arguments the type system would refuse: invalid calls as a renderer could send them. */
export const callRaw = (core: Core, method: string, args: unknown): unknown => core.call(method as ApiMethod, args as never);

/** The error a call threw; fails when the call succeeded or threw anything but a SitrepError. */
export function caught(fn: () => unknown): SitrepError {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    if (!(error instanceof SitrepError)) throw error;
    return error;
  }
  throw new Error(`expected the call to be refused, it returned ${JSON.stringify(result)?.slice(0, 300)}`);
}

/**
 * Asserts the call is refused with `code`; `detail` (an exact string such as "title: required", or a
 * pattern) must be one of the error's details.
 */
export function expectCode(fn: () => unknown, code: ErrorCode, detail?: string | RegExp): SitrepError {
  const error = caught(fn);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
  if (typeof detail === 'string') expect(error.details).toContain(detail);
  else if (detail) expect(error.details).toContainEqual(expect.stringMatching(detail));
  return error;
}

/** What a refused call must leave as it was: the op log and this device's settings. */
export function storeSnapshot(core: Core): { ops: number; settings: unknown[] } {
  const { n } = core.context.db.prepare('SELECT count(*) AS n FROM ops').get() as { n: number };
  const settings = core.context.db.prepare('SELECT key, value FROM settings ORDER BY key').all();
  return { ops: n, settings };
}

export const opCount = (core: Core): number => storeSnapshot(core).ops;

/** expectCode, and the store is unchanged afterwards. */
export function expectRefused(core: Core, fn: () => unknown, code: ErrorCode, detail?: string | RegExp): SitrepError {
  const before = storeSnapshot(core);
  const error = expectCode(fn, code, detail);
  expect(storeSnapshot(core)).toEqual(before);
  return error;
}

export interface ApiFixture {
  core: Core;
  clock: FakeClock;
  incidentId: string;
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): ApiResult<M>;
  state(): IncidentState;
  /** The whole timeline in display order. */
  timeline(filter?: Omit<ApiArgs<'timeline.list'>, 'incidentId'>): TimelineEntryView[];
  /** The text of the most recent system entry. */
  lastSystemText(): string;
}

export type DeclareOverrides = Partial<ApiArgs<'incidents.declare'>>;

/** Declares a P1 "Checkout failing" on the core's clock (or with the overrides given). */
export function declareP1(core: Core, overrides: DeclareOverrides = {}): string {
  return core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1', ...overrides }).incidentId;
}

/** A core whose device is called `name` ("Ana" unless told), holding a declared P1 incident. */
export function withIncident(options: { name?: string; start?: number; declare?: DeclareOverrides } = {}): ApiFixture {
  const { core, clock } = testCore({ name: options.name ?? 'Ana', start: options.start });
  return fixtureFor(core, clock, declareP1(core, options.declare));
}

export function fixtureFor(core: Core, clock: FakeClock, incidentId: string): ApiFixture {
  const call = <M extends ApiMethod>(method: M, args: ApiArgs<M>) => core.call(method, args);
  const timeline = (filter: Omit<ApiArgs<'timeline.list'>, 'incidentId'> = {}) =>
    core.call('timeline.list', { incidentId, limit: 1000, ...filter }).entries;
  return {
    core,
    clock,
    incidentId,
    call,
    state: () => core.call('incidents.get', { incidentId }).state,
    timeline,
    lastSystemText: () => {
      const system = timeline({ kinds: ['system'] });
      if (system.length === 0) throw new Error('no system entry on the timeline');
      return system[system.length - 1].text;
    },
  };
}

export function addPerson(fx: ApiFixture, name: string, extra: Partial<ApiArgs<'roster.addPerson'>> = {}): string {
  const roster = fx.call('roster.addPerson', { incidentId: fx.incidentId, name, ...extra });
  const person = roster.people.find((p) => p.name === name && !p.removed);
  if (!person) throw new Error(`${name} is not on the roster after adding`);
  return person.id;
}

export function role(fx: ApiFixture, roleId: string): RoleView {
  const found = fx.call('roster.get', { incidentId: fx.incidentId }).roles.find((r) => r.roleId === roleId);
  if (!found) throw new Error(`no role ${roleId}`);
  return found;
}

export function checklistItem(fx: ApiFixture, itemId: string): ChecklistItemView {
  const item = fx.call('checklist.get', { incidentId: fx.incidentId }).flatMap((p) => p.items).find((i) => i.id === itemId);
  if (!item) throw new Error(`no checklist item ${itemId}`);
  return item;
}
