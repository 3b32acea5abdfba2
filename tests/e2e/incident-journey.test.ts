/**
 * The commander's journey through one incident, in real Chromium against browser mode, as a person
 * would go through it (DESIGN.md §7, §9): declared from the keyboard, timeline entries with a
 * backdated one, roster and handover, checklist ticks, a severity change from the quick entry, the
 * internal communication, a validation limit missed, a reload, a metric alert decided, the wall
 * display — with an axe-core audit and a screenshot of every screen.
 *
 * Time: the core's clock (set-clock, browser mode's test clock) and the pages' clocks (Playwright's
 * page clock) are moved together to the same instant by test-clock.ts, so every timer the person
 * sees is computed from the instant the core stamped the entries with.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningServe } from '../../electron/serve/server';
import type { TimelineEntryView } from '../../shared/model/views';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium, openConsole, screenshot, startConsole } from '../support/browser';
import { moveTime, setTime } from '../support/test-clock';
import { allTimelineRows, renderedTimelineRows } from '../support/timeline-rows';

const MINUTE = 60_000;
/** 09:00Z on a winter morning; 14:30 in the browser's zone, which is UTC+5:30 so local and UTC never agree. */
const DETECTED_AT = Date.UTC(2030, 0, 15, 9, 0, 0);
const TIME_ZONE = 'Asia/Kolkata';
const TITLE = 'Login API returns 500s';
const DESK = { width: 1280, height: 720 };
const WALL = { width: 1920, height: 1080 };

let browser: Browser;
let serve: RunningServe;
let page: Page;
let errors: string[];
let incidentId: string;

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
const textOf = async (locator: Locator) => (await locator.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
const quickEntry = () => page.getByLabel('Timeline entry', { exact: true });
const coreTimeline = (): TimelineEntryView[] => serve.core.call('timeline.list', { incidentId, limit: 1000 }).entries;
/** A row of the timeline (an <article>) showing this text. */
const row = (text: string | RegExp) => page.locator('[role=feed] article').filter({ hasText: text });

async function record(line: string, shows: string | RegExp): Promise<void> {
  await quickEntry().fill(line);
  await quickEntry().press('Enter');
  await row(shows).first().waitFor();
  await expect.poll(() => quickEntry().inputValue()).toBe('');
}

beforeAll(async () => {
  browser = await launchChromium();
  serve = await startConsole({ testClock: true });
  await setTime(serve, [], DETECTED_AT);
  ({ page, errors } = await openConsole(browser, serve.writeUrl, DESK, { clockAt: DETECTED_AT, timezoneId: TIME_ZONE, bypassCSP: true }));
});

describe('an incident from declaration to the wall display', () => {
  it('1. declares a P1 incident from the keyboard alone', async () => {
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-incident-list-empty-1280x720');

    // The list's button answers `n`.
    await page.keyboard.press('n');
    const title = page.getByLabel('Title', { exact: true });
    await title.waitFor();
    expect(await isFocused(title)).toBe(true);
    await page.keyboard.type(TITLE);
    // Tab reaches the severity choice, P1 already chosen.
    await page.keyboard.press('Tab');
    const p1 = page.getByRole('radio', { name: /^P1\b/ });
    expect(await isFocused(p1)).toBe(true);
    expect(await p1.isChecked()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-declare-form-1280x720');

    const declare = page.getByRole('button', { name: 'Declare', exact: true });
    for (let tabs = 0; tabs < 40 && !(await isFocused(declare)); tabs++) await page.keyboard.press('Tab');
    expect(await isFocused(declare)).toBe(true);
    await page.keyboard.press('Enter');

    await expect.poll(() => page.url()).toMatch(/#\/incident\//);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    [{ id: incidentId }] = serve.core.call('incidents.list', {});
    expect(page.url()).toContain(incidentId);
    expect(await textOf(page.locator('.incident-title-row .severity-badge'))).toMatch(/^P1\b/);
    const state = serve.core.call('incidents.get', { incidentId }).state;
    expect(state.severity).toBe('P1');
    expect(state.milestones.detected?.at).toBe(DETECTED_AT);
  });

  it('2. records three timeline entries, one backdated with @HH:MM local time', async () => {
    await moveTime(serve, page, 1 * MINUTE);
    await record('Login error rate climbing on the dashboard', 'Login error rate climbing on the dashboard');
    await moveTime(serve, page, 1 * MINUTE);
    await record('/action Restarted the auth service pods', 'Restarted the auth service pods');

    // 14:20 local, ten minutes before detection: 08:50Z.
    await quickEntry().fill('@14:20 First customer reports of failed logins');
    await expect
      .poll(() => textOf(page.locator('.quick-entry-hint')))
      .toBe('Records a note · occurred 08:50:00Z · 14:20:00 local');
    await quickEntry().press('Enter');
    const backdated = row('First customer reports of failed logins');
    await backdated.waitFor();
    expect(await textOf(backdated.locator('time'))).toBe('08:50:00Z · 14:20:00 local');
    expect(await backdated.locator('time').getAttribute('datetime')).toBe('2030-01-15T08:50:00.000Z');
    // Recorded at 09:02Z, and the row says so since it is backdated.
    expect(await textOf(backdated.locator('.entry-recorded'))).toBe('recorded 09:02:00Z');

    const notes = coreTimeline().filter((e) => e.source === 'entry');
    expect(notes.map((e) => [e.kind, e.text, new Date(e.occurredAt).toISOString()])).toEqual([
      ['note', 'First customer reports of failed logins', '2030-01-15T08:50:00.000Z'],
      ['note', 'Login error rate climbing on the dashboard', '2030-01-15T09:01:00.000Z'],
      ['action', 'Restarted the auth service pods', '2030-01-15T09:02:00.000Z'],
    ]);
  });

  it('3. adds two people, makes one the commander and hands command to the other', async () => {
    await moveTime(serve, page, 1 * MINUTE);
    for (const [name, contact] of [
      ['Ana Lima', '+44 20 7946 0001'],
      ['Ben Okafor', 'ben@example.com'],
    ]) {
      await page.getByRole('button', { name: 'Add person…' }).click();
      const form = page.getByRole('form', { name: 'Add a person to the roster' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Contact').fill(contact);
      await form.getByRole('button', { name: 'Add person' }).click();
      await page.locator('.roster-people .person-name', { hasText: name }).waitFor();
    }

    const lead = page.getByRole('combobox', { name: 'Holder of Lead' });
    await lead.selectOption({ label: 'Ana Lima' });
    const holderName = page.getByRole('listitem').filter({ has: page.getByText('Lead', { exact: true }) }).locator('.holder-name');
    await expect.poll(() => textOf(holderName)).toBe('Ana Lima');

    await moveTime(serve, page, 1 * MINUTE);
    await page.getByRole('button', { name: 'Hand over command', exact: true }).click();
    await page.getByRole('group', { name: 'Hand over command' }).getByRole('button', { name: 'Hand over command to Ben Okafor' }).click();
    await expect.poll(() => textOf(holderName)).toBe('Ben Okafor');
    expect(await lead.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Ben Okafor');

    const system = coreTimeline().filter((e) => e.source === 'system').map((e) => e.text);
    expect(system).toEqual(expect.arrayContaining([expect.stringMatching(/assigned Lead to Ana Lima$/), expect.stringMatching(/assigned Lead to Ben Okafor$/)]));
    await row(/assigned Lead to Ben Okafor/).waitFor();
  });

  it('4. ticks two items of the current phase checklist', async () => {
    await moveTime(serve, page, 1 * MINUTE);
    for (const item of ['Check current system status', 'Check error logs']) {
      const box = page.getByRole('checkbox', { name: item, exact: true });
      // Not box.check(): the box shows the core's state, so it reads unticked again until the
      // tick comes back (a flicker), and Playwright's check() gives up at that first read.
      await box.click();
      await expect.poll(() => box.isChecked()).toBe(true);
      await page.locator('.checklist-item-done').filter({ hasText: item }).locator('.item-ticked').waitFor();
    }
    const current = page.locator('.checklist-phase-current .phase-count');
    await expect.poll(() => textOf(current)).toBe('2/11 done');
    await row(/ticked "Check error logs"/).waitFor();
  });

  it('5. raises the severity with /sev P0 in the quick entry', async () => {
    await moveTime(serve, page, 1 * MINUTE);
    await quickEntry().fill('/sev P0');
    await expect.poll(() => textOf(page.locator('.quick-entry-hint'))).toBe('Changes severity P1 → P0');
    await quickEntry().press('Enter');
    await expect.poll(() => textOf(page.locator('.incident-title-row .severity-badge'))).toMatch(/^P0\b/);
    expect(await page.getByRole('combobox', { name: 'Severity' }).inputValue()).toBe('P0');
    await row(/changed severity P1 → P0/).waitFor();
    expect(await textOf(row(/changed severity P1 → P0/).locator('.kind-badge'))).toBe('system');
  });

  it('6. sends the internal communication', async () => {
    await moveTime(serve, page, 1 * MINUTE);
    const comms = page.getByRole('region', { name: 'Communications' });
    await expect.poll(() => comms.getByRole('tab', { selected: true }).textContent()).toMatch(/^Internal Incident Notification/);
    // The message is filled in from the incident as it stands: P0 now.
    await expect.poll(() => comms.getByLabel('Message').inputValue()).toMatch(/Priority: P0/);
    await comms.getByRole('button', { name: 'Mark sent' }).click();
    await page.getByRole('status').filter({ hasText: 'Internal Incident Notification marked sent' }).waitFor();
    await row(/INCIDENT DECLARED/).waitFor();
    const sent = page.getByRole('timer', { name: 'Communication sent within 30 minutes' });
    await expect.poll(() => textOf(sent.locator('.validation-status'))).toBe('met at 09:07:00Z (took 7m 00s)');
  });

  it('7. shows a validation limit missed once time passes it', async () => {
    const notified = page.getByRole('timer', { name: 'Primary team notified within 10 minutes' });
    const item = notified.locator('xpath=..');
    expect(await textOf(notified.locator('.validation-status'))).toMatch(/left/);
    expect(await item.getAttribute('class')).not.toContain('validation-breached');

    // Eleven minutes after detection, nobody has marked the team notified.
    await moveTime(serve, page, 4 * MINUTE);
    await expect.poll(() => textOf(notified.locator('.validation-status'))).toBe('missed · overdue 1m 00s');
    expect(await item.getAttribute('class')).toContain('validation-breached');
    // Red as the person sees it: the status is drawn in the overdue colour.
    const colours = await item.evaluate((li) => ({
      status: getComputedStyle(li.querySelector('.validation-status') as Element).color,
      overdue: getComputedStyle(li).getPropertyValue('--overdue').trim(),
    }));
    const probe = await page.evaluate((colour) => {
      const span = document.createElement('span');
      span.style.color = colour;
      document.body.append(span);
      const rgb = getComputedStyle(span).color;
      span.remove();
      return rgb;
    }, colours.overdue);
    expect(colours.status).toBe(probe);
    await screenshot(page, 'journey-validation-missed-1280x720');
  });

  it('8. finds everything in order, with its system entries, after a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    // The page clock survives the reload: the limit is still missed.
    await expect
      .poll(() => textOf(page.getByRole('timer', { name: 'Primary team notified within 10 minutes' }).locator('.validation-status')))
      .toMatch(/^missed/);

    const entries = coreTimeline();
    await expect.poll(async () => (await renderedTimelineRows(page)).rows.length).toBeGreaterThan(0);
    const rows = await allTimelineRows(page, entries.length);
    expect(rows.map((r) => r.entryId)).toEqual(entries.map((e) => e.id));
    expect(rows.map((r) => r.text)).toEqual(entries.map((e) => e.text));

    const shown = rows.map((r) => `${r.kind}: ${r.text}`);
    // Display order is occurred-at: the backdated report first, then everything since detection.
    expect(shown[0]).toBe('note: First customer reports of failed logins');
    const expected = [
      /^note: Login error rate climbing/,
      /^action: Restarted the auth service pods/,
      /^system: .*added Ana Lima to the roster/,
      /^system: .*added Ben Okafor to the roster/,
      /^system: .*assigned Lead to Ana Lima/,
      /^system: .*assigned Lead to Ben Okafor/,
      /^system: .*ticked "Check current system status"/,
      /^system: .*ticked "Check error logs"/,
      /^system: .*changed severity P1 → P0/,
      /^communication: /,
    ];
    const at = expected.map((pattern) => shown.findIndex((line) => pattern.test(line)));
    expect(at.every((i) => i >= 0), `every step on the timeline:\n${shown.join('\n')}`).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('9. raises an alert on a metric sample above the P1 threshold and records the decision', async () => {
    // Logins recovered after the failover, and the commander lowers the severity.
    await moveTime(serve, page, 2 * MINUTE);
    await record('/sev P2 logins recovered after the restart', /changed severity P0 → P2/);
    await expect.poll(() => textOf(page.locator('.incident-title-row .severity-badge'))).toMatch(/^P2\b/);

    await moveTime(serve, page, 1 * MINUTE);
    const metrics = page.getByRole('region', { name: 'Metrics' });
    const form = metrics.getByRole('form', { name: 'Add a metric sample' });
    await form.getByRole('combobox', { name: 'Metric' }).selectOption({ label: 'Error rates' });
    await form.getByRole('spinbutton', { name: 'Value (%)' }).fill('7.5');
    await form.getByRole('button', { name: 'Add sample' }).click();

    const banner = metrics.getByRole('alert').filter({ hasText: 'error rate 7.5 % crosses P1' });
    await banner.waitFor();
    expect(await textOf(banner.locator('.metric-alert-text'))).toBe('error rate 7.5 % crosses P1 (> 5 %) — suggest P1 since 09:14:00Z');
    await banner.getByRole('button', { name: 'Accept P1' }).click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => textOf(page.locator('.incident-title-row .severity-badge'))).toMatch(/^P1\b/);
    const decision = row(/Accepted alert: error rate 7\.5 %/);
    await decision.waitFor();
    expect(await textOf(decision.locator('.entry-text'))).toBe('Accepted alert: error rate 7.5 % > 5 % (P1) — severity P2 → P1');
    await row(/changed severity P2 → P1/).waitFor();
  });

  it('10. shows the incident on the wall display, with nothing that writes', async () => {
    const now = await moveTime(serve, page, 1 * MINUTE);
    const wall = await openConsole(browser, serve.readUrl, WALL, { clockAt: now, timezoneId: TIME_ZONE, bypassCSP: true });
    await wall.page.getByRole('heading', { name: TITLE }).waitFor();

    const latest = wall.page.getByRole('region', { name: 'Latest entries' }).locator('.wall-entry-text');
    const newestFirst = () =>
      coreTimeline()
        .reverse()
        .slice(0, 15)
        .map((e) => e.text);
    await expect.poll(() => latest.allTextContents()).toEqual(newestFirst());
    // Live: what the commander records appears on the wall.
    await moveTime(serve, [page, wall.page], 1 * MINUTE);
    await record('/status Logins back to normal, watching error rates', 'Logins back to normal, watching error rates');
    await expect.poll(async () => (await latest.allTextContents())[0]).toBe('Logins back to normal, watching error rates');
    await expect.poll(() => latest.allTextContents()).toEqual(newestFirst());

    for (const role of ['button', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'spinbutton', 'link'] as const) {
      expect(await wall.page.getByRole(role).count(), `${role}s on the wall`).toBe(0);
    }
    expect(await seriousAxeViolations(wall.page)).toEqual([]);
    await screenshot(wall.page, 'journey-wall-display-1920x1080');
    expect(wall.errors).toEqual([]);
  });

  it('11–12. passes axe-core on the incident screen, the command palette and the list, with screenshots', async () => {
    await page.getByRole('heading', { name: TITLE }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-incident-screen-1280x720');

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    expect(await isFocused(palette.getByRole('combobox', { name: 'Filter commands' }))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-command-palette-1280x720');
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Incidents' }).click();
    const listed = page.getByRole('table', { name: 'Active incidents' }).getByRole('row').filter({ hasText: TITLE });
    await listed.waitFor();
    expect(await textOf(listed)).toContain('Ben Okafor');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-incident-list-1280x720');
    expect(errors).toEqual([]);
  });
});
