/**
 * Reading the incident screen's timeline as a person sees it. The timeline is virtualised
 * (renderer/components/Timeline.tsx): only the rows in and near view are in the DOM, each an
 * <article> with aria-posinset (its 1-based place in the list) inside [role=feed], in a scroller.
 */
import type { Page } from 'playwright-core';

export interface TimelineRow {
  /** 1-based place in the list (aria-posinset). */
  position: number;
  entryId: string;
  /** The text as shown, and the kind badge. */
  text: string;
  kind: string;
  /** What the row's <time> shows: "08:50:00Z · 14:20:00 local". */
  time: string;
}

/** The articles in the DOM now, in DOM order, and whether every row in view has loaded. */
export async function renderedTimelineRows(page: Page): Promise<{ rows: TimelineRow[]; settled: boolean }> {
  return page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>('.timeline-scroller');
    if (!scroller) return { rows: [], settled: false };
    const view = scroller.getBoundingClientRect();
    const wrappers = [...scroller.querySelectorAll<HTMLElement>('.timeline-row')];
    const inView = wrappers.filter((w) => {
      const r = w.getBoundingClientRect();
      return r.bottom > view.top && r.top < view.bottom;
    });
    const settled = inView.length > 0 && inView.every((w) => w.querySelector('article') !== null);
    const rows = [...scroller.querySelectorAll<HTMLElement>('[role=feed] article')].map((a) => ({
      position: Number(a.getAttribute('aria-posinset')),
      entryId: a.id.replace(/^timeline-entry-/, ''),
      text: a.querySelector('.entry-text')?.textContent ?? '',
      kind: a.querySelector('.kind-badge')?.textContent ?? '',
      time: a.querySelector('time')?.textContent ?? '',
    }));
    return { rows, settled };
  });
}

/** Scrolls the timeline to a fraction of its height (0 top, 1 bottom) and waits for the rows in view. */
export async function scrollTimelineTo(page: Page, fraction: number): Promise<TimelineRow[]> {
  await page.evaluate((f) => {
    const scroller = document.querySelector<HTMLElement>('.timeline-scroller');
    if (scroller) scroller.scrollTop = f * (scroller.scrollHeight - scroller.clientHeight);
  }, fraction);
  await expect.poll(async () => (await renderedTimelineRows(page)).settled, { timeout: 15_000 }).toBe(true);
  return (await renderedTimelineRows(page)).rows;
}

/**
 * Every row of the timeline, by scrolling it from top to bottom a screenful at a time (fine for
 * tens of entries, not for the scale test), in list order; fails if a position was never shown.
 */
export async function allTimelineRows(page: Page, total: number): Promise<TimelineRow[]> {
  const seen = new Map<number, TimelineRow>();
  const collect = (rows: TimelineRow[]) => {
    // On screen, top to bottom is list order.
    expect(rows.map((r) => r.position)).toEqual(rows.map((r) => r.position).sort((a, b) => a - b));
    for (const row of rows) seen.set(row.position, row);
  };
  collect(await scrollTimelineTo(page, 0));
  for (;;) {
    const done = await page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>('.timeline-scroller');
      if (!scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) return true;
      scroller.scrollTop += Math.max(1, Math.floor(scroller.clientHeight * 0.8));
      return false;
    });
    await expect.poll(async () => (await renderedTimelineRows(page)).settled, { timeout: 15_000 }).toBe(true);
    collect((await renderedTimelineRows(page)).rows);
    if (done) break;
  }
  const rows = [...seen.values()].sort((a, b) => a.position - b.position);
  expect(rows.map((r) => r.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  return rows;
}
