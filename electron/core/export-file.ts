/**
 * `sitrep export`: one incident to a file, read from a store opened READ-ONLY (no writer lock, no
 * key store, no relay), so it works beside a running console.
 *
 * Invariants: the file appears whole or not at all — it is written to a temporary file in the
 * target folder and renamed over the target; on any failure the temporary file is removed. A folder
 * that cannot be written is named in the error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SitrepError } from '../../shared/errors';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/report/incident-report';
import { renderHtml } from '../../shared/report/html';
import { TEXT_RENDERERS } from '../../shared/report/render-export';
import { writeFileAtomically } from './atomic-file';
import { DATABASE_FILE } from './core';
import { incidentReport, resolveIncidentId } from './queries/incident-report';
import { openDatabase } from './store/database';

export interface ExportToFileOptions {
  dataDir: string;
  /** The incident's id or a unique prefix of it. */
  incident: string;
  format: string;
  out: string;
  now?: () => number;
  printPdf?: (html: string) => Promise<Uint8Array>;
}

export interface ExportedToFile {
  incidentId: string;
  file: string;
  bytes: number;
}

const isFormat = (format: string): format is ExportFormat => (EXPORT_FORMATS as readonly string[]).includes(format);

export async function exportToFile(options: ExportToFileOptions): Promise<ExportedToFile> {
  const { format } = options;
  if (!isFormat(format)) throw new SitrepError('invalid-argument', `--format ${format}: must be one of ${EXPORT_FORMATS.join(', ')}`);
  const out = path.resolve(options.out);
  const folder = path.dirname(out);
  checkWritableFolder(folder);

  const db = openDatabase(path.join(options.dataDir, DATABASE_FILE), { readonly: true });
  let content: Uint8Array;
  let incidentId: string;
  try {
    incidentId = resolveIncidentId(db, options.incident);
    const report = incidentReport(db, incidentId, (options.now ?? Date.now)());
    if (format === 'pdf') {
      if (!options.printPdf) throw new SitrepError('invalid-argument', '--format pdf: no PDF printer');
      content = await options.printPdf(renderHtml(report));
    } else {
      content = Buffer.from(TEXT_RENDERERS[format](report), 'utf8');
    }
  } finally {
    db.close();
  }
  writeWhole(out, content);
  return { incidentId, file: out, bytes: content.byteLength };
}

function checkWritableFolder(folder: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new SitrepError('invalid-argument', `--out: the folder ${folder} does not exist`);
  }
  if (!stat.isDirectory()) throw new SitrepError('invalid-argument', `--out: ${folder} is not a folder`);
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new SitrepError('invalid-argument', `--out: the folder ${folder} cannot be written (permission denied); nothing was written`);
  }
}

/** Reports are for sharing: readable by others on the machine, as a file saved by hand would be. */
const EXPORT_FILE_MODE = 0o644;

function writeWhole(out: string, content: Uint8Array): void {
  try {
    writeFileAtomically(out, content, EXPORT_FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new SitrepError('invalid-argument', `--out: the folder ${path.dirname(out)} cannot be written (${code}); nothing was written`);
    }
    throw new SitrepError('internal', `--out ${out}: ${(error as Error).message}; nothing was written`);
  }
}
