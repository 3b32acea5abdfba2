/**
 * Live metrics in real Chromium against browser mode: the commander adds a /metrics source served
 * by a local endpoint, turns polling on on this device, and when the endpoint's error rate crosses
 * the playbook's P1 threshold the alert appears in the console and is accepted.
 */
import type { Browser, Page } from 'playwright-core';
import type { RunningServe } from '../../electron/serve/server';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { startHttpServer, type TestHttpServer } from '../support/metric-servers';

/** A batch is written about every 10 s (the shipped default), and the first poll lands at once. */
const ALERT_WAIT_MS = 60_000;
const exposition = (ratio: number) => `# TYPE app_error_ratio gauge\napp_error_ratio{job="checkout"} ${ratio}\n`;

let browser: Browser;
let serve: RunningServe;
let app: TestHttpServer;
let page: Page;
let errors: string[];

beforeAll(async () => {
  app = await startHttpServer({ status: 200, contentType: 'text/plain; version=0.0.4', body: exposition(0.002) });
  browser = await launchChromium();
  serve = await startConsole();
  ({ page, errors } = await openConsole(browser, serve.writeUrl));
});

afterAll(async () => {
  await app.close();
});

it('an endpoint\'s error rate crossing the P1 threshold raises the alert in the console', async () => {
  const { incidentId } = serve.core.call('incidents.declare', { title: 'Checkout errors climbing', severity: 'P2' });
  await page.evaluate((id) => void (window.location.hash = `#/incident/${id}`), incidentId);
  await page.getByRole('heading', { name: 'Checkout errors climbing' }).waitFor();

  await page.getByRole('button', { name: /^Sources/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Metric sources' });
  const form = dialog.getByRole('form', { name: 'Add a source' });
  await form.getByLabel('Name').fill('Checkout /metrics');
  await form.getByLabel('Kind').selectOption('prometheus-scrape');
  await form.getByLabel('Address').fill(`${app.origin}/metrics`);
  await form.getByLabel('Value').fill('app_error_ratio{job="checkout"}');
  await form.getByLabel('Feeds metric').selectOption('error-rate');
  await form.getByLabel('Scale (× reading)').fill('100');
  await form.getByLabel(/^Interval \(s\)/).fill('1');
  await form.getByRole('button', { name: 'Add source' }).click();
  const item = dialog.getByRole('listitem', { name: 'Checkout /metrics' });
  await item.waitFor();
  await item.getByRole('checkbox', { name: 'Poll from this device' }).check();
  await expect.poll(() => serve.core.call('sources.list', { incidentId })[0]?.pollingHere).toBe(true);
  await page.keyboard.press('Escape');

  // 0.2 % first: under P2's 1 %, so nothing to decide; the chart shows the source up.
  const chart = page.getByRole('figure', { name: /Error rates/ });
  await chart.getByText(/Checkout \/metrics: up at/).waitFor({ timeout: ALERT_WAIT_MS });
  expect(await page.getByRole('alert').count()).toBe(0);

  app.answer = { status: 200, contentType: 'text/plain; version=0.0.4', body: exposition(0.08) };
  const alert = page.getByRole('alert').filter({ hasText: 'crosses P1' });
  await alert.waitFor({ timeout: ALERT_WAIT_MS });
  expect(await alert.textContent()).toContain('error rate 8 % crosses P1 (> 5 %) — suggest P1');
  await screenshot(page, 'live-metrics-p1-alert-1280x720');

  await alert.getByRole('button', { name: 'Accept P1' }).click();
  await expect.poll(() => serve.core.call('incidents.get', { incidentId }).state.severity).toBe('P1');
  await serve.core.invoke('sources.setPolling', { incidentId, sourceId: serve.core.call('sources.list', { incidentId })[0].id, polling: false });
  expect(errors).toEqual([]);
});
