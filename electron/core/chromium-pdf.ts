/**
 * Prints an HTML export to PDF with Debian's Chromium (`--headless --print-to-pdf`), for browser
 * mode and `sitrep export`; the desktop app prints with Electron instead (electron/main/pdf-printer.ts).
 *
 * Invariants: the page is a file in a private temporary folder (mode 0700) with its own throwaway
 * Chromium profile, all removed afterwards whatever happens; the page is self-contained and its CSP
 * forbids script and every fetch, so printing reaches no network. Only bytes that are a PDF are
 * returned.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SitrepError } from '../../shared/errors';

export const DEFAULT_CHROMIUM = process.env.SITREP_CHROMIUM ?? '/usr/bin/chromium';
const PRINT_TIMEOUT_MS = 120_000;
const PDF_MAGIC = '%PDF-';
const MAX_OUTPUT_BYTES = 10 * 1024 * 1024;

export function chromiumPdfPrinter(chromium = DEFAULT_CHROMIUM): (html: string) => Promise<Uint8Array> {
  return (html) => printPdfWithChromium(html, chromium);
}

export async function printPdfWithChromium(html: string, chromium = DEFAULT_CHROMIUM): Promise<Uint8Array> {
  if (!fs.existsSync(chromium)) {
    throw new SitrepError('not-found', `a PDF is printed with Chromium, and there is none at ${chromium}: install it (apt-get install chromium) or set SITREP_CHROMIUM; HTML export works without it`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-pdf-'));
  try {
    const page = path.join(dir, 'report.html');
    const pdf = path.join(dir, 'report.pdf');
    fs.writeFileSync(page, html, { mode: 0o600 });
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--no-pdf-header-footer',
      `--user-data-dir=${path.join(dir, 'profile')}`,
      `--print-to-pdf=${pdf}`,
      // Chromium refuses to start as root with its sandbox; the page runs no script (see its CSP).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `file://${page}`,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(chromium, args, { timeout: PRINT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES }, (error, _stdout, stderr) => {
        if (error && !fs.existsSync(pdf)) reject(new SitrepError('internal', `Chromium could not print the PDF: ${error.message}${stderr ? `\n${String(stderr).slice(-500)}` : ''}`));
        else resolve();
      });
    });
    const bytes = fs.existsSync(pdf) ? fs.readFileSync(pdf) : Buffer.alloc(0);
    if (bytes.subarray(0, PDF_MAGIC.length).toString('latin1') !== PDF_MAGIC) throw new SitrepError('internal', 'Chromium did not write a PDF');
    return new Uint8Array(bytes);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
