/**
 * PDF export in the desktop app (issue #6): the core (in its utility process) cannot print, so a
 * call of export.incident with format pdf is answered here — the core renders the HTML export, and
 * a hidden window prints it with webContents.printToPDF.
 *
 * Invariants: the printing window runs no script (javascript off, sandboxed, its own in-memory
 * session), loads only the export's self-contained page from a data: URL, and is destroyed after
 * each print whatever happens. Every other call passes through untouched.
 */
import { BrowserWindow } from 'electron';
import type { ApiArgs, ApiMethod, ApiResult, SitrepApi } from '../../shared/api';
import type { ExportedFile } from '../../shared/model/views';
import { EXPORT_FILE_TYPES } from '../../shared/report/incident-report';

/** An in-memory session of its own, so the console's session (cookies, CSP hooks) is never involved. */
const PRINT_PARTITION = 'sitrep-pdf-print';

export type PrintHtml = (html: string) => Promise<Uint8Array>;

export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: PRINT_PARTITION },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    const pdf = await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4', generateDocumentOutline: true });
    return new Uint8Array(pdf);
  } finally {
    window.destroy();
  }
}

const isPdfExport = (method: ApiMethod, args: unknown): args is ApiArgs<'export.incident'> =>
  method === 'export.incident' && typeof args === 'object' && args !== null && (args as { format?: unknown }).format === 'pdf';

/** The api the renderer sees: the core's, with PDF exports printed here. */
export function withPdfExport(core: SitrepApi, print: PrintHtml = printHtmlToPdf): SitrepApi {
  return {
    subscribe: (listener) => core.subscribe(listener),
    async invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
      if (!isPdfExport(method, args)) return core.invoke(method, args);
      // The core validates the call (strict arguments, a known incident) as for any other format.
      const html = await core.invoke('export.incident', { ...args, format: 'html' });
      const pdf = await print(html.content);
      const file: ExportedFile = {
        fileName: html.fileName.replace(/\.html$/, `.${EXPORT_FILE_TYPES.pdf.suffix}`),
        mime: EXPORT_FILE_TYPES.pdf.mime,
        encoding: 'base64',
        content: Buffer.from(pdf).toString('base64'),
      };
      return file as ApiResult<M>;
    },
  };
}
