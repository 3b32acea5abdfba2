/** One entry point for the text formats; the PDF is the HTML printed (by Chromium or Electron). */
import { renderCsv } from './csv';
import { renderHtml } from './html';
import type { ExportFormat, IncidentReport } from './incident-report';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';

export type TextExportFormat = Exclude<ExportFormat, 'pdf'>;

export const TEXT_RENDERERS: Record<TextExportFormat, (report: IncidentReport) => string> = {
  md: renderMarkdown,
  html: renderHtml,
  csv: renderCsv,
  json: renderJson,
};
