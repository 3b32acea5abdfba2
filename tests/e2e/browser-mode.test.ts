import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { tempDir } from '../support/temp-dir';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});

describe('browser mode in Chromium', () => {
  it('signs in with the printed URL, declares an incident and records a timeline entry', async () => {
    const serve = await startConsole();
    const { page, errors } = await openConsole(browser, serve.writeUrl);
    // The token was exchanged for a cookie: the address bar holds no secret any more.
    expect(page.url()).not.toContain('token');

    await page.getByRole('button', { name: 'Declare incident' }).click();
    await page.keyboard.type('Login API returns 500s');
    await page.getByRole('radio', { name: /P1/ }).check();
    await page.getByRole('checkbox', { name: /Authentication/ }).check();
    await page.getByRole('button', { name: 'Declare', exact: true }).click();

    await expect.poll(() => page.url()).toMatch(/#\/incident\//);
    await page.getByRole('heading', { name: 'Login API returns 500s' }).waitFor();
    const entry = page.getByLabel('Timeline entry');
    await entry.fill('/decision Fail over to the standby database');
    await entry.press('Enter');
    await page.getByText('Fail over to the standby database').waitFor();
    await screenshot(page, 'incident-screen-1280x720');

    const [incident] = serve.core.call('incidents.list', {});
    const decisions = serve.core.call('timeline.list', { incidentId: incident.id, kinds: ['decision'] });
    expect(decisions.entries.map((e) => e.text)).toEqual(['Fail over to the standby database']);
    expect(errors).toEqual([]);
  });

  it('shows the wall display on the read-only URL, with nothing that writes', async () => {
    const serve = await startConsole();
    const { incidentId } = serve.core.call('incidents.declare', { title: 'Checkout degraded', severity: 'P0' });
    serve.core.call('timeline.add', { incidentId, text: 'Payments provider confirms an outage' });
    const { page, errors } = await openConsole(browser, serve.readUrl, { width: 1920, height: 1080 });
    await page.getByText('Checkout degraded').first().waitFor();
    await page.getByText('Payments provider confirms an outage').waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    // Live: an entry made at the console appears on the wall without a reload.
    serve.core.call('timeline.add', { incidentId, text: 'Status page updated' });
    await page.getByText('Status page updated').waitFor();
    await screenshot(page, 'wall-display-1920x1080');
    expect(errors).toEqual([]);
  });

  it('passes an axe-core check with no serious violations on the list and the incident screen', async () => {
    const serve = await startConsole();
    const { incidentId } = serve.core.call('incidents.declare', { title: 'Accessibility check', severity: 'P2' });
    const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(serve.writeUrl);
    const audit = async () => {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => (n as { target: unknown }).target))}`);
      });
      return violations;
    };
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    expect(await audit()).toEqual([]);
    await page.goto(`${new URL(serve.writeUrl).origin}/#/incident/${incidentId}`);
    await page.getByRole('heading', { name: 'Accessibility check' }).waitFor();
    expect(await audit()).toEqual([]);
    await context.close();
  });

  it('keeps the session across a reload after sign-in, and the UI loads again', async () => {
    const serve = await startConsole();
    const { page, errors } = await openConsole(browser, serve.writeUrl);
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    const cleanUrl = page.url();
    expect(cleanUrl).not.toContain('token');

    serve.core.call('incidents.declare', { title: 'Reload keeps the session', severity: 'P2' });
    await page.reload();
    expect(page.url()).toBe(cleanUrl);
    // Signed in still, with write access: the list loads and declaring is offered.
    await page.getByRole('link', { name: 'Reload keeps the session' }).waitFor();
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();

    // It is the cookie that keeps it: a browser without it is asked for the printed link.
    const stranger = await openConsole(browser, cleanUrl);
    await stranger.page.getByRole('heading', { name: 'Sign-in link needed' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('refuses a second console on the same data folder while the first keeps answering', async () => {
    const dataDir = tempDir();
    const first = await startConsole({ dataDir });
    await expect(startConsole({ dataDir })).rejects.toMatchObject({ code: 'already-in-use' });

    const { page, errors } = await openConsole(browser, first.writeUrl);
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    first.core.call('incidents.declare', { title: 'Still answering', severity: 'P3' });
    await page.getByRole('link', { name: 'Still answering' }).waitFor();
    expect(errors).toEqual([]);
  });
});
