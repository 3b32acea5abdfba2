/**
 * Exporting from the console in real Chromium against browser mode (issue #6): the incident
 * header's Export… dialog hands over the Markdown post-mortem as a download, and the PDF, which
 * browser mode prints with Debian's Chromium; both files are read back and checked (the PDF by its
 * text, through pdftotext).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServe } from '../../electron/serve/server';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { buildExportIncident, HOSTILE_TEXTS } from '../support/export-incident';
import { tempDir } from '../support/temp-dir';

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDF_TIMEOUT_MS = 180_000;

let browser: Browser;
let serve: RunningServe;
let page: Page;
let errors: string[];
let incidentId: string;

beforeAll(async () => {
  browser = await launchChromium();
  serve = await startConsole();
  serve.core.call('device.setName', { name: 'Ana' });
  // The console's own clock: the fixture's steps keep their order at whatever time it is.
  incidentId = buildExportIncident(serve.core, { now: Date.now, set: () => undefined, advance: () => undefined });
  ({ page, errors } = await openConsole(browser, serve.writeUrl, undefined, { bypassCSP: true }));
  await page.goto(new URL(`#/incident/${incidentId}`, page.url()).href);
  await page.getByRole('heading', { name: /Checkout "EU" outage/ }).waitFor();
});

async function exportAs(format: RegExp, timeout?: number): Promise<{ name: string; file: string }> {
  const dialog = page.getByRole('dialog', { name: 'Export incident' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Export…' }).click();
  await dialog.getByRole('radio', { name: format }).check();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
  const file = path.join(tempDir(), download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file };
}

describe('exporting from the console', () => {
  it('downloads the Markdown post-mortem, user text escaped', async () => {
    await page.getByText('Post-mortem final', { exact: true }).waitFor();
    const { name, file } = await exportAs(/Markdown post-mortem/);
    expect(name).toMatch(/^INC-\d{4}-\d\d-\d\d-checkout-eu-outage-cafe-b-bold-b-x-http\.md$/);
    const markdown = fs.readFileSync(file, 'utf8');
    expect(markdown).toContain('# Post-mortem: Checkout "EU" outage');
    expect(markdown).toContain(`Ana: ${HOSTILE_TEXTS.unicode.replace(':', '\\:')}`);
    expect(markdown).toContain('&lt;script&gt;alert\\("pwned"\\)&lt;/script&gt;');
    expect(markdown).toContain('| Post\\-mortem completed within 7 days | met |');
    expect(markdown).not.toContain('<script>');
    expect(markdown).not.toContain(HOSTILE_TEXTS.plus);
    const dialog = page.getByRole('dialog', { name: 'Export incident' });
    expect(await dialog.getByRole('status').textContent()).toBe(`Saved ${name}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'export-dialog-1280x720');
  });

  it(
    'downloads the PDF printed by Chromium; its text holds the report',
    async () => {
      const { name, file } = await exportAs(/PDF post-mortem/, PDF_TIMEOUT_MS);
      expect(name).toMatch(/\.pdf$/);
      expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Post-mortem: Checkout "EU" outage');
      expect(text).toContain('<script>alert("pwned")</script>');
      expect(text).toContain('Lessons learned Config pushes need a canary.');
      expect(errors).toEqual([]);
    },
    PDF_TIMEOUT_MS + 30_000,
  );
});
