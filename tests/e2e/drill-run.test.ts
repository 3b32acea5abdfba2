/**
 * A drill run end to end in real Chromium against browser mode: started from a scenario file on
 * the incident list, marked DRILL on the list, the incident screen and the wall display, its
 * timed entries replayed on the core's clock (browser mode's test clock, moved with the page's),
 * a response step done, and ended with the report of validation items met.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServe } from '../../electron/serve/server';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { moveTime, setTime } from '../support/test-clock';

const MINUTE = 60_000;
const START = Date.UTC(2030, 2, 4, 10, 0, 0);
const SCENARIO_FILE = path.resolve('tests/fixtures/drill-db-outage.json');
const TITLE = 'DRILL: checkout database unreachable';

let browser: Browser;
let serve: RunningServe;
let page: Page;
let errors: string[];

const row = (text: string) => page.locator('[role=feed] article').filter({ hasText: text });
const textOf = async (selector: ReturnType<Page['locator']>) => (await selector.textContent())?.replace(/\s+/g, ' ').trim() ?? '';

beforeAll(async () => {
  browser = await launchChromium();
  serve = await startConsole({ testClock: true });
  await setTime(serve, [], START);
  ({ page, errors } = await openConsole(browser, serve.writeUrl, { width: 1280, height: 720 }, { clockAt: START, bypassCSP: true }));
});

describe('a drill from a scenario file', () => {
  it('starts from the incident list and opens, marked as a drill', async () => {
    await page.getByLabel('Start drill from scenario').setInputFiles(SCENARIO_FILE);
    await expect.poll(() => page.url()).toMatch(/#\/incident\//);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    expect(await textOf(page.locator('.incident-title-row .drill-mark'))).toBe('DRILL');
    const panel = page.getByRole('region', { name: /Q4 drill: database outage/ });
    await expect.poll(() => textOf(panel)).toContain('Scenario replayed: 2 of 7 events');
    await row('Pager: db-primary health check failing').waitFor();
    expect(await row('Failing over to the replica').count()).toBe(0);
  });

  it('replays the timed entries on the incident clock', async () => {
    await moveTime(serve, page, 2 * MINUTE + 5_000);
    await row('Failing over to the replica').waitFor();
    expect(await row('Keep checkout in maintenance mode').count()).toBe(0);
    await moveTime(serve, page, 4 * MINUTE);
    await row('Keep checkout in maintenance mode').waitFor();
    await expect.poll(() => textOf(page.getByRole('region', { name: /Q4 drill/ }))).toContain('Scenario replayed: 7 of 7 events');
  });

  it('tracks a response step and ends with the report of validation items met', async () => {
    await page.getByRole('button', { name: 'Mark Notify the primary response team now done' }).click();
    await page.getByText(/Done by .* at 10:06:05Z/).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'drill-incident-screen-1280x720');

    await moveTime(serve, page, MINUTE);
    const panel = page.getByRole('region', { name: /Q4 drill/ });
    await panel.getByRole('button', { name: 'End drill' }).click();
    await expect.poll(() => textOf(panel.getByRole('status'))).toBe('Drill ended 2030-03-04 10:07Z: 1 of 6 validation items met.');
    const items = await panel.getByRole('list', { name: 'Validation items' }).locator('li').allTextContents();
    expect(items).toContain('Primary team notified within 10 minutes: met');
    expect(items).toContain('Incident detected within 5 minutes: not met (never started)');
    await screenshot(page, 'drill-report-1280x720');
  });

  it('is marked DRILL on the list and on the wall display', async () => {
    await page.getByRole('link', { name: 'Incidents' }).click();
    const listRow = page.getByRole('row').filter({ hasText: TITLE });
    await listRow.waitFor();
    expect(await textOf(listRow.locator('.drill-mark'))).toBe('DRILL');

    const incidentId = serve.core.call('incidents.list', {})[0].id;
    const wall = await openConsole(browser, serve.readUrl, { width: 1920, height: 1080 }, { clockAt: START + 8 * MINUTE });
    await wall.page.goto(`${new URL(serve.readUrl).origin}/#/wall/${incidentId}`);
    await wall.page.getByRole('heading', { name: TITLE }).waitFor();
    expect(await textOf(wall.page.locator('.wall-drill'))).toBe('DRILL');
    expect(wall.errors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
