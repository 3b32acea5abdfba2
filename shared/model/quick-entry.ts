/**
 * The timeline's one-line quick entry (DESIGN.md §4, §7): what a person types, parsed into what gets
 * recorded. Pure, so the live hint and the Enter key always agree.
 *
 *   Roll back started              a note
 *   /decision Roll back            a decision; also /action, /comms, /note, /status
 *   @14:02 Paged DBA               occurred at 14:02 local time, at its most recent past occurrence
 *   @14:02Z Paged DBA              the same in UTC; @14:02:30 carries seconds
 *   /sev P0 [reason]               changes the severity (also /severity p0)
 *   /phase containment             moves to a phase, by id or by the start of its title
 *
 * The command and the time marker come before the text, in either order. Only a marker starting
 * with a digit is a time, so "@ana check DNS" stays a note. A severity or phase change takes no
 * time marker: a field write is recorded when it is made.
 */
import { SEVERITIES, type Severity } from '../playbook/schema';
import { TEXT_MAX } from './fields';
import type { EntryKind } from './op-payload';

/** The kinds a person records from the entry box (metric alerts and corrections come from elsewhere). */
export type QuickEntryKind = Extract<EntryKind, 'note' | 'action' | 'decision' | 'status-update' | 'communication'>;

export type QuickCommand = { type: 'severity'; severity: Severity; reason?: string } | { type: 'phase'; phase: string };

/** An entry to add to the timeline. */
export interface QuickEntryRecord {
  kind: QuickEntryKind;
  text: string;
  /** UTC ms, when the person gave a time; otherwise the entry occurred when it is recorded. */
  occurredAt?: number;
  command?: undefined;
}

/** A change to the incident: its system entry appears on the timeline by itself. */
export interface QuickEntryChange {
  kind: 'system';
  /** What the change is, in words ("change severity to P0"). */
  text: string;
  occurredAt?: undefined;
  command: QuickCommand;
}

export type QuickEntryProblem =
  | 'empty'
  | 'unknown-command'
  | 'missing-text'
  | 'too-long'
  | 'not-a-time'
  | 'time-on-change'
  | 'missing-severity'
  | 'unknown-severity'
  | 'missing-phase'
  | 'unknown-phase'
  | 'ambiguous-phase';

export interface QuickEntryError {
  error: string;
  code: QuickEntryProblem;
}

export type QuickEntry = QuickEntryRecord | QuickEntryChange;
export type QuickEntryResult = QuickEntry | QuickEntryError;

export interface QuickEntryContext {
  /** UTC ms. */
  now: number;
  /** Local time minus UTC, in minutes (UTC+1 is 60; the opposite sign of Date#getTimezoneOffset). */
  timezoneOffsetMinutes: number;
  phases: ReadonlyArray<{ id: string; title: string }>;
}

const ENTRY_COMMANDS: Readonly<Record<string, QuickEntryKind>> = {
  decision: 'decision',
  action: 'action',
  comms: 'communication',
  communication: 'communication',
  note: 'note',
  status: 'status-update',
  'status-update': 'status-update',
};
const SEVERITY_COMMANDS = new Set(['sev', 'severity']);
const PHASE_COMMANDS = new Set(['phase']);
const COMMAND_LIST = '/decision, /action, /comms, /note, /status, /sev or /phase';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** A marker is a time only when a digit follows the @; "@ana" is text. */
const LOOKS_LIKE_TIME = /^@\d/;
const TIME_MARKER = /^@(\d{1,2}):(\d{2})(?::(\d{2}))?(z)?$/i;
const SEVERITY_ARGUMENT = /^p?(\d)$/i;
const SEVERITY_LIST = `${SEVERITIES.slice(0, -1).join(', ')} or ${SEVERITIES[SEVERITIES.length - 1]}`;

const problem = (code: QuickEntryProblem, error: string): QuickEntryError => ({ error, code });

export const isQuickEntryError = (result: QuickEntryResult): result is QuickEntryError => 'error' in result;

/**
 * The most recent past instant (at or before `now`) whose clock, `offsetMinutes` from UTC, reads
 * `msOfDay`: at 00:10 local, 23:50 is yesterday's.
 */
export function mostRecentPast(now: number, offsetMinutes: number, msOfDay: number): number {
  const offsetMs = offsetMinutes * MINUTE_MS;
  const localNow = now + offsetMs;
  let local = Math.floor(localNow / DAY_MS) * DAY_MS + msOfDay;
  if (local > localNow) local -= DAY_MS;
  return local - offsetMs;
}

function parseTimeMarker(marker: string, context: QuickEntryContext): number | QuickEntryError {
  const match = TIME_MARKER.exec(marker);
  const notATime = problem('not-a-time', `${marker} is not a time: use @HH:MM or @HH:MM:SS (24-hour, local), with Z for UTC`);
  if (!match) return notATime;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return notATime;
  const msOfDay = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  return mostRecentPast(context.now, match[4] ? 0 : context.timezoneOffsetMinutes, msOfDay);
}

function parseSeverity(command: string, rest: string): QuickEntryChange | QuickEntryError {
  const [argument = '', ...reasonWords] = rest.split(/\s+/).filter(Boolean);
  if (!argument) return problem('missing-severity', `/${command} needs a severity: ${SEVERITY_LIST}`);
  const digit = SEVERITY_ARGUMENT.exec(argument)?.[1];
  const severity = SEVERITIES.find((s) => s === `P${digit}`);
  if (!severity) return problem('unknown-severity', `/${command} ${argument}: the severity must be ${SEVERITY_LIST}`);
  const reason = reasonWords.join(' ');
  return {
    kind: 'system',
    text: `change severity to ${severity}${reason ? `: ${reason}` : ''}`,
    command: reason ? { type: 'severity', severity, reason } : { type: 'severity', severity },
  };
}

function parsePhase(command: string, rest: string, phases: QuickEntryContext['phases']): QuickEntryChange | QuickEntryError {
  const query = rest.trim().toLowerCase();
  const known = phases.map((p) => `${p.id} (${p.title})`).join(', ');
  if (!query) return problem('missing-phase', `/${command} needs a phase: ${known}`);
  const exact = phases.filter((p) => p.id.toLowerCase() === query || p.title.toLowerCase() === query);
  const matches = exact.length ? exact : phases.filter((p) => p.id.toLowerCase().startsWith(query) || p.title.toLowerCase().startsWith(query));
  if (matches.length === 0) return problem('unknown-phase', `no phase "${rest.trim()}": use ${known}`);
  if (matches.length > 1) {
    return problem('ambiguous-phase', `"${rest.trim()}" matches several phases: ${matches.map((p) => p.title).join(', ')}`);
  }
  const [phase] = matches;
  return { kind: 'system', text: `move to phase ${phase.title}`, command: { type: 'phase', phase: phase.id } };
}

export function parseQuickEntry(input: string, context: QuickEntryContext): QuickEntryResult {
  let rest = input.trim();
  if (!rest) return problem('empty', 'nothing to record yet: type what happened');

  let command: string | undefined;
  let marker: string | undefined;
  // The leading tokens: at most one command and one time marker, in either order.
  for (;;) {
    const token = /^\S+/.exec(rest)?.[0] ?? '';
    if (command === undefined && token.startsWith('/')) command = token;
    else if (marker === undefined && LOOKS_LIKE_TIME.test(token)) marker = token;
    else break;
    rest = rest.slice(token.length).trimStart();
  }

  let occurredAt: number | undefined;
  if (marker !== undefined) {
    const parsed = parseTimeMarker(marker, context);
    if (typeof parsed !== 'number') return parsed;
    occurredAt = parsed;
  }

  const name = command?.slice(1).toLowerCase();
  if (name !== undefined && (SEVERITY_COMMANDS.has(name) || PHASE_COMMANDS.has(name))) {
    if (marker !== undefined) {
      return problem('time-on-change', `${command} takes no time (${marker}): a change is recorded when it is made`);
    }
    return SEVERITY_COMMANDS.has(name) ? parseSeverity(name, rest) : parsePhase(name, rest, context.phases);
  }

  let kind: QuickEntryKind = 'note';
  if (name !== undefined) {
    const named = Object.hasOwn(ENTRY_COMMANDS, name) ? ENTRY_COMMANDS[name] : undefined;
    if (!named) return problem('unknown-command', `unknown command ${command}: use ${COMMAND_LIST}`);
    kind = named;
  }
  if (!rest) return problem('missing-text', `${command ?? marker} needs some text after it`);
  if (rest.length > TEXT_MAX) return problem('too-long', `an entry holds at most ${TEXT_MAX.toLocaleString('en')} characters`);
  return occurredAt === undefined ? { kind, text: rest } : { kind, text: rest, occurredAt };
}
