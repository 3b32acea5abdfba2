import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Timeline } from '../../renderer/components/Timeline';
import type { Core } from '../../electron/core/core';
import { caught } from '../support/api-expect';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const ORIGINAL_TZ = process.env.TZ;
// Pinned to UTC so local time reads the same as UTC here (quick-entry.test.tsx shows them differing).
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  process.env.TZ = ORIGINAL_TZ;
});

/** An incident with the given entries (kind, text), rendered as the timeline of the incident screen. */
async function timelineWith(entries: Array<[kind: 'note' | 'action' | 'decision', text: string]>, access: 'write' | 'read' = 'write') {
  const { core, clock } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' });
  const ids = entries.map(([kind, text]) => {
    clock.advance(60_000);
    return core.call('timeline.add', { incidentId, kind, text }).id;
  });
  const user = userEvent.setup();
  const rendered = renderConsole(<Timeline />, core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  return { core, clock, incidentId, ids, user, ...rendered };
}

const feed = () => screen.getByRole('feed', { name: 'Timeline entries' });
const entryShowing = (text: string | RegExp) => {
  const article = within(feed()).getByText(text).closest('article');
  if (!article) throw new Error(`no entry shows ${String(text)}`);
  return article;
};
const shownTexts = () => within(feed()).queryAllByRole('article').map((a) => a.querySelector('.entry-text')?.textContent);
const count = () => screen.getByRole('status');

/**
 * Many entries, written through the api as a person would, in one transaction of the test's own
 * (each call alone commits with a full fsync, which is what makes a timed test slow, not the UI).
 */
function addEntries(core: Core, incidentId: string, howMany: number) {
  core.context.db.transaction(() => {
    for (let i = 1; i <= howMany; i++) core.call('timeline.add', { incidentId, text: `Entry ${String(i).padStart(5, '0')}` });
  })();
}

describe('Timeline', () => {
  it('shows each entry with kind, author, UTC and local time, oldest first', async () => {
    await timelineWith([
      ['note', 'Error rate at 12 %'],
      ['decision', 'Roll back to v41'],
    ]);
    const decision = await within(feed()).findByRole('article', { name: 'decision by Ana at 14:02:00Z' });
    expect(within(decision).getByText('decision')).toBeInTheDocument();
    expect(within(decision).getByText('Ana')).toBeInTheDocument();
    expect(within(decision).getByText('14:02:00Z · 14:02:00 local')).toBeInTheDocument();
    expect(shownTexts()).toEqual(['Error rate at 12 %', 'Roll back to v41']);
    expect(count()).toHaveTextContent('2 entries');
  });

  it('renders what people wrote as text, never as HTML', async () => {
    const { container } = await timelineWith([['note', '<img src=x onerror="alert(1)"><b>bold</b>']]);
    expect(await within(feed()).findByText('<img src=x onerror="alert(1)"><b>bold</b>')).toBeInTheDocument();
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('amending shows both texts, the old one struck and marked amended with a way to the new one', async () => {
    const { user } = await timelineWith([['decision', 'Roll back to v41']]);
    await within(feed()).findByText('Roll back to v41');
    await user.click(within(entryShowing('Roll back to v41')).getByRole('button', { name: 'Amend' }));
    const field = screen.getByRole('textbox', { name: 'Amended text' });
    await user.clear(field);
    await user.type(field, 'Roll back to v40{Enter}');

    const amendment = await within(feed()).findByText('Roll back to v40');
    const old = entryShowing('Roll back to v41');
    expect(within(old).getByText('Roll back to v41').tagName).toBe('S');
    await user.click(within(old).getByRole('button', { name: 'amended' }));
    expect(amendment.closest('article')).toHaveFocus();
    expect(within(amendment.closest('article') as HTMLElement).getByRole('button', { name: 'amends an earlier entry' })).toBeInTheDocument();
  });

  it('retracting asks for a reason and marks the entry retracted with it', async () => {
    const { user } = await timelineWith([['action', 'Restarted db-2']]);
    await within(feed()).findByText('Restarted db-2');
    await user.click(within(entryShowing('Restarted db-2')).getByRole('button', { name: 'Retract' }));
    await user.type(screen.getByRole('textbox', { name: 'Reason for retracting' }), 'it was db-3');
    await user.click(screen.getByRole('button', { name: 'Retract entry' }));

    const retracted = entryShowing('Restarted db-2');
    expect(await within(retracted).findByText('retracted: it was db-3')).toBeInTheDocument();
    expect(within(retracted).queryByRole('button', { name: 'Retract' })).toBeNull();
    expect(within(feed()).getByRole('article', { name: /^retraction by Ana/ })).toHaveTextContent('it was db-3');
  });

  it('redacting warns that the text is hidden everywhere, then shows only who, when and why', async () => {
    const { user, container, clock } = await timelineWith([['note', 'DB password is hunter2']]);
    await within(feed()).findByText('DB password is hunter2');
    await user.click(within(entryShowing('DB password is hunter2')).getByRole('button', { name: 'Redact' }));
    expect(screen.getByRole('note')).toHaveTextContent(/hides this entry’s text everywhere/);
    clock.set(T0 + 5 * 60_000);
    await user.type(screen.getByRole('textbox', { name: 'Reason for redacting' }), 'contained a password');
    await user.click(screen.getByRole('button', { name: 'Redact entry' }));

    expect(await within(feed()).findByText('[redacted by Ana at 14:05:00Z: contained a password]')).toBeInTheDocument();
    await waitFor(() => expect(container.textContent).not.toContain('hunter2'));
    const redacted = entryShowing('[redacted by Ana at 14:05:00Z: contained a password]');
    expect(within(redacted).queryByRole('button', { name: /Amend|Retract|Redact/ })).toBeNull();
  });

  it('a refused retraction keeps its reason in the form, with the core’s answer inside it', async () => {
    const { user, core, incidentId, ids, stores } = await timelineWith([['action', 'Restarted db-2']]);
    await within(feed()).findByText('Restarted db-2');
    const reason = 'it was db-3, not db-2. '.repeat(50);
    const refusal = caught(() => core.call('timeline.retract', { incidentId, entryId: ids[0], reason })).message;

    await user.click(within(entryShowing('Restarted db-2')).getByRole('button', { name: 'Retract' }));
    const form = screen.getByRole('form', { name: 'Retract entry' });
    await user.click(within(form).getByRole('textbox', { name: 'Reason for retracting' }));
    await user.paste(reason);
    await user.click(within(form).getByRole('button', { name: 'Retract entry' }));

    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal);
    expect(within(form).getByRole('textbox', { name: 'Reason for retracting' })).toHaveValue(reason);
    expect(core.call('timeline.list', { incidentId, kinds: ['retraction'] }).total).toBe(0);
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('stars an entry, and "Starred only" shows just the starred ones', async () => {
    const { user } = await timelineWith([
      ['note', 'Error rate at 12 %'],
      ['decision', 'Roll back to v41'],
    ]);
    await within(feed()).findByText('Roll back to v41');
    const star = within(entryShowing('Roll back to v41')).getByRole('button', { name: 'Star' });
    expect(star).toHaveAttribute('aria-pressed', 'false');
    await user.click(star);
    await waitFor(() => expect(within(entryShowing('Roll back to v41')).getByRole('button', { name: 'Star' })).toHaveAttribute('aria-pressed', 'true'));

    await user.click(screen.getByRole('checkbox', { name: 'Starred only' }));
    await waitFor(() => expect(shownTexts()).toEqual(['Roll back to v41']));
    expect(count()).toHaveTextContent('1 entry matches');
  });

  it('searches the text, after a short pause in typing', async () => {
    const { user } = await timelineWith([
      ['note', 'Error rate at 12 %'],
      ['action', 'Paged the DBA'],
      ['note', 'DBA joined the bridge'],
    ]);
    await within(feed()).findByText('Paged the DBA');
    await user.type(screen.getByRole('searchbox', { name: 'Search the timeline' }), 'dba');
    await waitFor(() => expect(shownTexts()).toEqual(['Paged the DBA', 'DBA joined the bridge']));
    expect(count()).toHaveTextContent('2 entries match');
  });

  it('filters by kind, system entries included', async () => {
    const { user, core, incidentId } = await timelineWith([
      ['note', 'Error rate at 12 %'],
      ['decision', 'Roll back to v41'],
    ]);
    await act(async () => {
      await core.invoke('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
    });
    await within(feed()).findByText('Ana changed severity P1 → P0');

    await user.click(screen.getByRole('checkbox', { name: 'decision' }));
    await waitFor(() => expect(shownTexts()).toEqual(['Roll back to v41']));
    await user.click(screen.getByRole('checkbox', { name: 'system' }));
    await waitFor(() => expect(shownTexts()).toEqual(['Roll back to v41', 'Ana changed severity P1 → P0']));
    expect(count()).toHaveTextContent('2 entries match');
  });

  it('filters by author, offering the roster’s people as well as those who wrote', async () => {
    const { user, core, incidentId } = await timelineWith([['note', 'Error rate at 12 %']]);
    await act(async () => {
      await core.invoke('roster.addPerson', { incidentId, name: 'Bo Chen' });
    });
    await within(feed()).findByText(/Ana added Bo Chen to the roster/);
    const author = screen.getByRole('combobox', { name: 'Author' });
    expect(within(author).getAllByRole('option').map((o) => o.textContent)).toEqual(['everyone', 'Ana', 'Bo Chen']);
    await user.selectOptions(author, 'Bo Chen');
    await waitFor(() => expect(count()).toHaveTextContent('0 entries match'));
    expect(screen.getByText('0 entries match the filters.')).toBeInTheDocument();
  });

  it('a read-only view has no quick entry, no stars to press and no corrections', async () => {
    await timelineWith([['decision', 'Roll back to v41']], 'read');
    const entry = await within(feed()).findByRole('article', { name: /decision by Ana/ });
    expect(screen.queryByRole('textbox', { name: 'Timeline entry' })).toBeNull();
    expect(within(entry).queryAllByRole('button')).toEqual([]);
    expect(screen.getByRole('searchbox', { name: 'Search the timeline' })).toBeInTheDocument();
  });

  it('with 2,000 entries the DOM holds only a window of rows, and scrolling fetches the rows in view', { timeout: 120_000 }, async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Long incident', severity: 'P2' });
    addEntries(core, incidentId, 2_000);
    const rendered = renderConsole(<Timeline />, core);
    await act(() => openIncident(rendered.stores, incidentId));

    expect(await screen.findByText('2,000 entries')).toBeInTheDocument();
    const rows = () => within(feed()).queryAllByRole('article');
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(200);
    expect(rows()[0]).toHaveAttribute('aria-setsize', '2000');

    // Scroll half-way down: rows from pages never loaded before appear, and the window stays small.
    const scroller = feed().parentElement as HTMLElement;
    await act(async () => {
      scroller.scrollTop = parseFloat(feed().style.height) / 2;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => {
      const positions = rows().map((row) => Number(row.getAttribute('aria-posinset')));
      expect(positions.some((p) => p > 400 && p < 1600)).toBe(true);
    });
    const middle = rows().find((row) => Number(row.getAttribute('aria-posinset')) > 400) as HTMLElement;
    expect(within(middle).getByText(`Entry ${middle.getAttribute('aria-posinset')?.padStart(5, '0')}`)).toBeInTheDocument();
    expect(rows().length).toBeLessThan(200);
  });
});
