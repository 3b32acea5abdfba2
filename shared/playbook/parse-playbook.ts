/**
 * Turning untrusted input (a custom playbook file) into a Playbook, or into every reason it is not one.
 *
 * Invariants:
 * - Each error reads `path: message`; the path joins object keys with dots and writes array
 *   indices in brackets (`phases[2].checklist[0].title`); a problem with the whole value is `(root)`.
 * - A missing value reads `required`; a value of the wrong type reads `expected string, got number`.
 * - Every problem is reported, not only the first. zod does not run the playbook's cross-checks
 *   (duplicate ids, one commander, known metrics, declared placeholders) on data whose shape is
 *   wrong, so when the shape is wrong they are run once more on a copy whose ill-typed values are
 *   replaced by inert stand-ins; findings about a stand-in itself are dropped.
 * - Pure: no I/O. `parsePlaybookJson` takes the text and the file name the caller read it from.
 */
import type { z } from 'zod';
import { playbookSchema, type Playbook } from './schema';

export type PlaybookParseResult = { ok: true; playbook: Playbook } | { ok: false; errors: string[] };

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

/** `phases[2].checklist[0].title`; `(root)` for the value itself. */
export const formatIssuePath = (path: Path): string => {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
};

const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
};

const showValue = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * Our wording for zod's own type messages. Passed as the per-parse error map, so a message the
 * schema states itself (e.g. "must be whole minutes") still wins, as zod ranks those higher.
 */
const describeIssue = (issue: z.core.$ZodRawIssue): string | undefined => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const allowed = issue.values.map(showValue);
      const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      return issue.input === undefined ? 'required' : `expected ${expected}, got ${showValue(issue.input)}`;
    }
    case 'invalid_union': {
      const discriminated = issue as typeof issue & { discriminator?: string; options?: unknown[] };
      if (discriminated.discriminator === undefined || discriminated.options === undefined) return undefined;
      const input = (issue.input as Record<string, unknown> | undefined)?.[discriminated.discriminator];
      const allowed = `one of ${discriminated.options.map(showValue).join(', ')}`;
      return input === undefined ? `required (${allowed})` : `expected ${allowed}, got ${showValue(input)}`;
    }
    default:
      return undefined;
  }
};

const parseOptions = { error: describeIssue };

const formatIssue = (issue: Issue): string => `${formatIssuePath(issue.path)}: ${issue.message}`;

/** Issues that stop zod from running refinements: the value is not of the declared shape. */
const isShapeIssue = (issue: Issue): boolean =>
  issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union';

/** A value of the expected shape that cannot collide with real data, or undefined if there is none. */
const standIn = (issue: Issue, serial: number): { value: unknown } | undefined => {
  if (issue.code === 'invalid_value') return issue.values.length > 0 ? { value: issue.values[0] } : undefined;
  if (issue.code === 'invalid_union') {
    const discriminated = issue as Issue & { discriminator?: string; options?: unknown[] };
    return discriminated.options?.length ? { value: discriminated.options[0] } : undefined;
  }
  if (issue.code !== 'invalid_type') return undefined;
  switch (issue.expected) {
    case 'string':
      return { value: `stand-in-${serial}` };
    case 'number':
    case 'int':
      return { value: 1 };
    case 'boolean':
      return { value: false };
    case 'array':
      return { value: [] };
    case 'object':
      return { value: {} };
    case 'null':
      return { value: null };
    default:
      return undefined;
  }
};

/** Sets `value` at `path` inside `root` (a structured clone), creating nothing on the way. */
const setAt = (root: unknown, path: Path, value: unknown): boolean => {
  if (path.length === 0) return false;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (node === null || typeof node !== 'object') return false;
  (node as Record<PropertyKey, unknown>)[path[path.length - 1]] = value;
  return true;
};

const startsWith = (path: Path, prefix: Path): boolean =>
  prefix.length <= path.length && prefix.every((key, i) => key === path[i]);

/**
 * The cross-check findings zod withheld because of shape issues: replace each ill-typed value with a
 * stand-in (a few rounds, since a stand-in object reveals its own missing fields), then parse again.
 */
const crossCheckIssues = (input: unknown, shapeIssues: Issue[]): Issue[] => {
  if (input === null || typeof input !== 'object') return [];
  let copy: unknown;
  try {
    copy = structuredClone(input);
  } catch {
    return []; // not plain data (functions, class instances): the shape issues already say so
  }
  const replaced: Path[] = [];
  let pending = shapeIssues;
  for (let round = 0; round < 8; round += 1) {
    for (const issue of pending) {
      const stand = standIn(issue, replaced.length);
      if (stand === undefined || !setAt(copy, issue.path, stand.value)) return [];
      replaced.push(issue.path);
    }
    const result = playbookSchema.safeParse(copy, parseOptions);
    if (result.success) return [];
    pending = result.error.issues.filter(isShapeIssue);
    if (pending.length === 0) {
      return result.error.issues.filter((issue) => !replaced.some((path) => startsWith(issue.path, path)));
    }
  }
  return [];
};

export function parsePlaybook(input: unknown): PlaybookParseResult {
  const result = playbookSchema.safeParse(input, parseOptions);
  if (result.success) return { ok: true, playbook: result.data };
  const issues = result.error.issues;
  const shapeIssues = issues.filter(isShapeIssue);
  const errors = issues.map(formatIssue);
  if (shapeIssues.length > 0) {
    for (const issue of crossCheckIssues(input, shapeIssues)) {
      const error = formatIssue(issue);
      if (!errors.includes(error)) errors.push(error);
    }
  }
  return { ok: false, errors };
}

/** 1-based line and column of a character offset. */
const lineAndColumn = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
};

/** Parses a playbook file's text; a JSON syntax error becomes one error naming the file and position. */
export function parsePlaybookJson(text: string, fileName: string): PlaybookParseResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let input: unknown;
  try {
    input = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const reason = message.replace(/,? *(?:in JSON )?at position \d+.*$/s, '').trim() || 'invalid JSON';
    if (position === null) return { ok: false, errors: [`${fileName}: invalid JSON: ${reason}`] };
    const { line, column } = lineAndColumn(source, Number(position[1]));
    return { ok: false, errors: [`${fileName}: invalid JSON at line ${line}, column ${column}: ${reason}`] };
  }
  return parsePlaybook(input);
}
