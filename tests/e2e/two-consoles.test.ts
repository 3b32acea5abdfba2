/**
 * Two teammates and one relay, end to end (issue 5): two browser-mode consoles (their own data
 * folders, their own Chromium pages) and a relay on 127.0.0.1. Ana declares and shares through the
 * UI, Bea joins by pasting the write link; what either types appears at the other. The relay
 * stops: both keep working, say they are offline and what waits to send. It comes back on the same
 * port and folder: both converge. Every wait polls for what a person would see; nothing sleeps.
 */
import type { Browser, Page } from 'playwright-core';
import type { RunningServe } from '../../electron/serve/server';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { relayAddress, startTestRelay, stopRelay } from '../integration/sync/sync-harness';

const DESK = { width: 1280, height: 720 };
const TITLE = 'Checkout returns 502s';
/** Reconnecting backs off up to 30 s (with jitter) while the relay is away. */
const RECONNECT = { timeout: 90_000, intervals: [250] };
const SOON = { timeout: 30_000, intervals: [100] };

let browser: Browser;
let a: { serve: RunningServe; page: Page; errors: string[] };
let b: { serve: RunningServe; page: Page; errors: string[] };
let relay: Awaited<ReturnType<typeof startTestRelay>>;
let writeLink: string;

const syncLine = (page: Page) => page.getByRole('region', { name: 'Sync' });
const syncText = async (page: Page) => ((await syncLine(page).textContent()) ?? '').replace(/\s+/g, ' ');
const row = (page: Page, text: string) => page.locator('[role=feed] article').filter({ hasText: text });
const shows = async (page: Page, text: string) => (await row(page, text).count()) > 0;

async function record(page: Page, text: string): Promise<void> {
  const entry = page.getByLabel('Timeline entry', { exact: true });
  await entry.fill(text);
  await entry.press('Enter');
  await row(page, text).first().waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  relay = await startTestRelay();
  const serveA = await startConsole();
  const serveB = await startConsole();
  serveA.core.call('device.setName', { name: 'Ana Lima' });
  a = { serve: serveA, ...(await openConsole(browser, serveA.writeUrl, DESK, { bypassCSP: true })) };
  b = { serve: serveB, ...(await openConsole(browser, serveB.writeUrl, DESK)) };
});

describe('two consoles and one relay', () => {
  it('1. Ana declares an incident and shares it through the relay from the share dialog', async () => {
    const { page } = a;
    await page.getByRole('button', { name: 'Declare incident' }).click();
    await page.keyboard.type(TITLE);
    await page.getByRole('radio', { name: /P1/ }).check();
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expect.poll(() => syncText(page)).toContain('not shared');

    await syncLine(page).getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share incident' });
    await dialog.getByRole('button', { name: 'Use a relay' }).click();
    await dialog.getByRole('textbox', { name: 'Relay address (host:port)' }).fill(relayAddress(relay));
    await screenshot(page, 'two-consoles-share-choice-1280x720');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Share through this relay' }).click();

    const writeCard = dialog.getByRole('region', { name: 'Write link' });
    writeLink = ((await writeCard.locator('code').textContent()) ?? '').trim();
    expect(writeLink).toMatch(new RegExp(`^sitrep://join/${relayAddress(relay).replace(/\./g, '\\.')}/[0-9a-f-]{36}#[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$`));
    await dialog.getByRole('img', { name: 'QR code of the write link' }).waitFor();
    await dialog.getByRole('img', { name: 'QR code of the read link' }).waitFor();
    // The QR codes are drawn: the images decoded (the CSP allows img data:).
    for (const name of ['QR code of the write link', 'QR code of the read link']) {
      expect(await dialog.getByRole('img', { name }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    }
    await screenshot(page, 'two-consoles-share-dialog-1280x720');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => syncText(page), SOON).toContain('live');
    expect(await syncText(page)).toContain(`relay ${relayAddress(relay)}`);
  });

  it('2. Bea joins by pasting the write link and lands on the incident', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Join incident' }).click();
    const form = page.getByRole('form', { name: 'Join incident' });
    await form.getByRole('textbox', { name: /^Link/ }).fill(writeLink);
    await form.getByRole('textbox', { name: /^Your name/ }).fill('Bea Lopez');
    await form.getByRole('button', { name: 'Join' }).click();

    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor({ timeout: 30_000 });
    await expect.poll(() => syncText(page), SOON).toContain('live');
    expect(await page.getByText('read only').count()).toBe(0);
    // Each sees the other online.
    await expect.poll(() => syncText(a.page), SOON).toContain('Also online: Bea Lopez');
    await screenshot(page, 'two-consoles-bea-joined-1280x720');
  });

  it('3. an entry typed in one console appears in the other, both ways', async () => {
    await record(a.page, 'Ana: payment provider confirms degraded API');
    await expect.poll(() => shows(b.page, 'Ana: payment provider confirms degraded API'), SOON).toBe(true);
    await record(b.page, 'Bea: failed over checkout to region B');
    await expect.poll(() => shows(a.page, 'Bea: failed over checkout to region B'), SOON).toBe(true);
    await screenshot(a.page, 'two-consoles-ana-live-1280x720');
  });

  it('4. with the relay stopped both keep working, and say they are offline with changes waiting', async () => {
    await stopRelay(relay);
    for (const { page } of [a, b]) await expect.poll(() => syncText(page), SOON).toMatch(/offline since \d\d:\d\dZ/);

    await record(a.page, 'Ana offline: rolled back deploy 42');
    await record(b.page, 'Bea offline: paged the database team');
    await record(b.page, 'Bea offline: error rate falling');
    await expect.poll(() => syncText(a.page), SOON).toContain('1 change waiting to send');
    await expect.poll(() => syncText(b.page), SOON).toContain('2 changes waiting to send');
    expect(await shows(a.page, 'Bea offline: paged the database team')).toBe(false);
    expect(await shows(b.page, 'Ana offline: rolled back deploy 42')).toBe(false);
    await screenshot(a.page, 'two-consoles-ana-offline-1280x720');
    await screenshot(b.page, 'two-consoles-bea-offline-1280x720');
  });

  it('5. with the relay back on the same port and folder, both converge', async () => {
    relay = await startTestRelay(relay.dataDir, relay.port);

    await expect.poll(() => shows(a.page, 'Bea offline: paged the database team'), RECONNECT).toBe(true);
    await expect.poll(() => shows(a.page, 'Bea offline: error rate falling'), RECONNECT).toBe(true);
    await expect.poll(() => shows(b.page, 'Ana offline: rolled back deploy 42'), RECONNECT).toBe(true);
    for (const { page } of [a, b]) {
      await expect.poll(() => syncText(page), RECONNECT).toContain('live');
      await expect.poll(() => syncText(page), RECONNECT).not.toContain('waiting to send');
      expect(await syncText(page)).not.toContain('offline since');
    }

    // The same record on both machines.
    const [incident] = a.serve.core.call('incidents.list', {});
    const texts = (serve: RunningServe) =>
      serve.core
        .call('timeline.list', { incidentId: incident.id, kinds: ['note'], limit: 1000 })
        .entries.map((e) => e.text)
        .sort();
    await expect.poll(() => texts(b.serve), SOON).toEqual(texts(a.serve));
    expect(texts(a.serve)).toHaveLength(5);
    await screenshot(a.page, 'two-consoles-ana-converged-1280x720');
    await screenshot(b.page, 'two-consoles-bea-converged-1280x720');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
