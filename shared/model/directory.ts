/**
 * The team directory (issue #8, DESIGN.md §7): people, the roles they can hold, phone numbers,
 * vendor contacts and runbook links, local to this device and available offline across incidents.
 * Imported from and exported to JSON or CSV.
 *
 * Rules:
 * - An import is all or nothing: the first bad row refuses the whole file, naming its line number
 *   and what is wrong, and nothing is stored.
 * - CSV columns: kind,name,roles,phone,email,link,notes; `roles` separated by ";". RFC 4180 quoting
 *   (a quoted cell may hold commas, quotes doubled, and line breaks). A row's line number is the
 *   line it starts on (the header is line 1).
 * - JSON: an array of entries (or `{ "entries": [...] }`); a bad entry is named by its index and
 *   the line its object starts on.
 * - Exported CSV cells starting with = + - @ are prefixed with ' so spreadsheets do not run them
 *   (DESIGN.md §6); importing strips that prefix again.
 */
import { z } from 'zod';

export const DIRECTORY_KINDS = ['person', 'vendor', 'runbook'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];
export const DIRECTORY_MAX_ENTRIES = 5_000;
export const CSV_COLUMNS = ['kind', 'name', 'roles', 'phone', 'email', 'link', 'notes'] as const;

const short = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

export const directoryEntryInputSchema = z.strictObject({
  kind: z.enum(DIRECTORY_KINDS, 'must be person, vendor or runbook'),
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
  /** Role ids (or titles) of the playbook this person can hold. */
  roles: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  phone: short(100).default(''),
  email: short(200).default(''),
  link: short(2000)
    .default('')
    .refine((v) => v === '' || /^https?:\/\//i.test(v), 'must be an http(s) link'),
  notes: short(2000).default(''),
});
export type DirectoryEntryInput = z.input<typeof directoryEntryInputSchema>;
export type DirectoryEntryFields = z.output<typeof directoryEntryInputSchema>;

export interface DirectoryEntry extends DirectoryEntryFields {
  id: string;
}

export type DirectoryParse = { ok: true; entries: DirectoryEntryFields[] } | { ok: false; errors: string[] };

const describeIssues = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ');

/** Splits CSV text into rows of cells, each with the line it starts on. */
export function csvRows(text: string): Array<{ line: number; cells: string[] }> | { error: string } {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      atCellStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((v) => v !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      atCellStart = true;
      line++;
      rowLine = line;
    } else {
      cell += c;
      atCellStart = false;
    }
  }
  if (quoted) return { error: `line ${rowLine}: a quoted cell is never closed` };
  cells.push(cell);
  if (cells.some((v) => v !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

const unguard = (cell: string): string => (/^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

export function parseDirectoryCsv(text: string): DirectoryParse {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  if ('error' in rows) return { ok: false, errors: [rows.error] };
  if (rows.length === 0) return { ok: false, errors: ['line 1: the file is empty (expected a header: kind,name,roles,phone,email,link,notes)'] };
  const [header, ...body] = rows;
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) return { ok: false, errors: [`line ${header.line}: unknown column ${unknown.map((c) => `"${c}"`).join(', ')} (columns: ${CSV_COLUMNS.join(',')})`] };
  for (const required of ['kind', 'name']) {
    if (!columns.includes(required)) return { ok: false, errors: [`line ${header.line}: the header needs a "${required}" column`] };
  }
  const entries: DirectoryEntryFields[] = [];
  for (const row of body) {
    if (row.cells.length > columns.length) return { ok: false, errors: [`line ${row.line}: ${row.cells.length} cells but the header has ${columns.length} columns`] };
    const record: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = unguard(row.cells[i] ?? '');
      record[column] = column === 'roles' ? value.split(';').map((r) => r.trim()).filter(Boolean) : value;
    });
    const parsed = directoryEntryInputSchema.safeParse(record);
    if (!parsed.success) return { ok: false, errors: [`line ${row.line}: ${describeIssues(parsed.error)}`] };
    entries.push(parsed.data);
  }
  return checkSize(entries);
}

/** The line each element of the top-level array starts on (a scan outside strings). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (/\s/.test(c)) continue;
    if (expectingElement && depth === 1 && c !== ']') {
      lines.push(line);
      expectingElement = false;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectingElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}

export function parseDirectoryJson(text: string): DirectoryParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`not JSON: ${(error as Error).message}`] };
  }
  const wrapped = typeof json === 'object' && json !== null && !Array.isArray(json) && 'entries' in json;
  const list = wrapped ? (json as { entries: unknown }).entries : json;
  if (!Array.isArray(list)) return { ok: false, errors: ['line 1: expected an array of entries (or { "entries": [...] })'] };
  const lines = wrapped ? [] : elementLines(text);
  const entries: DirectoryEntryFields[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = directoryEntryInputSchema.safeParse(item);
    if (!parsed.success) {
      const where = lines[index] !== undefined ? `line ${lines[index]} (entry ${index + 1})` : `entry ${index + 1}`;
      return { ok: false, errors: [`${where}: ${describeIssues(parsed.error)}`] };
    }
    entries.push(parsed.data);
  }
  return checkSize(entries);
}

function checkSize(entries: DirectoryEntryFields[]): DirectoryParse {
  if (entries.length > DIRECTORY_MAX_ENTRIES) return { ok: false, errors: [`${entries.length} entries: at most ${DIRECTORY_MAX_ENTRIES}`] };
  return { ok: true, entries };
}

/** By the file's name: .csv is CSV, anything else JSON. */
export const parseDirectoryFile = (fileName: string, text: string): DirectoryParse =>
  /\.csv$/i.test(fileName) ? parseDirectoryCsv(text) : parseDirectoryJson(text);

const guard = (cell: string): string => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell);
const csvCell = (cell: string): string => {
  const safe = guard(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function directoryToCsv(entries: readonly DirectoryEntryFields[]): string {
  const rows = entries.map((e) => [e.kind, e.name, e.roles.join(';'), e.phone, e.email, e.link, e.notes].map(csvCell).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export function directoryToJson(entries: readonly DirectoryEntryFields[]): string {
  const plain = entries.map(({ kind, name, roles, phone, email, link, notes }) => ({ kind, name, roles, phone, email, link, notes }));
  return `${JSON.stringify(plain, null, 2)}\n`;
}

/** Directory people who can hold a role: listed with the role's id or title among their roles. */
export function canHold(entry: DirectoryEntryFields, role: { roleId: string; title: string }): boolean {
  return entry.kind === 'person' && entry.roles.some((r) => r.toLowerCase() === role.roleId.toLowerCase() || r.toLowerCase() === role.title.toLowerCase());
}
