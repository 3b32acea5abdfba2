/**
 * An export as the api answers it: the file's name, MIME type and content. Text formats are
 * rendered here; a PDF is the HTML printed by whoever holds a printer (Chromium for browser mode
 * and the CLI, Electron's printToPDF in the app) and answered as base64.
 */
import type { ExportedFile } from '../../../shared/model/views';
import { EXPORT_FILE_TYPES, exportFileName, type ExportFormat } from '../../../shared/report/incident-report';
import { TEXT_RENDERERS, type TextExportFormat } from '../../../shared/report/render-export';
import type { Db } from '../store/database';
import { incidentReport } from './incident-report';

export function exportIncidentText(db: Db, incidentId: string, format: TextExportFormat, now: number): ExportedFile {
  const report = incidentReport(db, incidentId, now);
  return fileOf(report.incident, format, TEXT_RENDERERS[format](report), 'utf-8');
}

export function fileOf(
  incident: Parameters<typeof exportFileName>[0],
  format: ExportFormat,
  content: string,
  encoding: ExportedFile['encoding'],
): ExportedFile {
  return { fileName: exportFileName(incident, format), mime: EXPORT_FILE_TYPES[format].mime, encoding, content };
}
