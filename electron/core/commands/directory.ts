/**
 * The team directory on this device (migration 4): list, save, remove, import, export. Local and
 * unreplicated: no op is written, so it is there offline and across incidents. An import is one
 * transaction (the core's), refused whole at the first bad row.
 */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import {
  directoryToCsv,
  directoryToJson,
  parseDirectoryFile,
  type DirectoryEntry,
  type DirectoryEntryFields,
} from '../../../shared/model/directory';
import type { CoreContext } from '../core-context';
import { prepared, type Db } from '../store/database';

interface EntryRow {
  id: string;
  kind: DirectoryEntry['kind'];
  name: string;
  roles: string;
  phone: string;
  email: string;
  link: string;
  notes: string;
}

export function listDirectory(db: Db): DirectoryEntry[] {
  const rows = prepared(db, `SELECT * FROM directory_entries ORDER BY CASE kind WHEN 'person' THEN 0 WHEN 'vendor' THEN 1 ELSE 2 END, name COLLATE NOCASE, id`).all() as EntryRow[];
  return rows.map((r) => ({ ...r, roles: JSON.parse(r.roles) as string[] }));
}

function upsert(db: Db, id: string, e: DirectoryEntryFields): void {
  prepared(
    db,
    `INSERT INTO directory_entries (id, kind, name, roles, phone, email, link, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, roles = excluded.roles, phone = excluded.phone,
       email = excluded.email, link = excluded.link, notes = excluded.notes`,
  ).run(id, e.kind, e.name, JSON.stringify(e.roles), e.phone, e.email, e.link, e.notes);
}

export function saveDirectoryEntry(ctx: CoreContext, a: ApiParsedArgs<'directory.save'>): DirectoryEntry[] {
  const { id, ...fields } = a;
  if (id !== undefined && !prepared(ctx.db, 'SELECT 1 FROM directory_entries WHERE id = ?').get(id)) {
    throw new SitrepError('not-found', `id: no directory entry ${id}`);
  }
  upsert(ctx.db, id ?? uuidv7({ msecs: ctx.now() }), fields);
  return listDirectory(ctx.db);
}

export function removeDirectoryEntry(ctx: CoreContext, a: ApiParsedArgs<'directory.remove'>): DirectoryEntry[] {
  if (prepared(ctx.db, 'DELETE FROM directory_entries WHERE id = ?').run(a.id).changes === 0) throw new SitrepError('not-found', `id: no directory entry ${a.id}`);
  return listDirectory(ctx.db);
}

/** Adds the file's entries; one with the same kind and name as an existing entry replaces it. */
export function importDirectory(ctx: CoreContext, a: ApiParsedArgs<'directory.import'>): { imported: number; entries: DirectoryEntry[] } {
  const parsed = parseDirectoryFile(a.fileName, a.text);
  if (!parsed.ok) {
    throw new SitrepError('invalid-argument', `${a.fileName} was not imported, nothing was stored: ${parsed.errors.join('; ')}`, parsed.errors);
  }
  const existing = new Map(listDirectory(ctx.db).map((e) => [`${e.kind}\n${e.name.toLowerCase()}`, e.id]));
  for (const entry of parsed.entries) {
    const key = `${entry.kind}\n${entry.name.toLowerCase()}`;
    const id = existing.get(key) ?? uuidv7({ msecs: ctx.now() });
    existing.set(key, id);
    upsert(ctx.db, id, entry);
  }
  return { imported: parsed.entries.length, entries: listDirectory(ctx.db) };
}

export function exportDirectory(ctx: CoreContext, a: ApiParsedArgs<'directory.export'>): { fileName: string; mimeType: string; text: string } {
  const entries = listDirectory(ctx.db);
  return a.format === 'csv'
    ? { fileName: 'sitrep-directory.csv', mimeType: 'text/csv', text: directoryToCsv(entries) }
    : { fileName: 'sitrep-directory.json', mimeType: 'application/json', text: directoryToJson(entries) };
}
