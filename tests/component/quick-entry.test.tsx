import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FOCUS_QUICK_ENTRY_EVENT } from '../../renderer/app/shortcuts';
import { Timeline } from '../../renderer/components/Timeline';
import { caught } from '../support/api-expect';
import { testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

/** 14:30Z on 29 November 2026, on the core's fake clock, which the console reads too. */
const NOW = Date.UTC(2026, 10, 29, 14, 30, 0);
const ORIGINAL_TZ = process.env.TZ;

// Berlin is UTC+1 in November, so UTC and local times differ on screen.
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = ORIGINAL_TZ;
});
async function timelineOnScreen() {
  const { core, clock } = testCore({ name: 'Ana', start: NOW });
  const { incidentId } = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' });
  const user = userEvent.setup();
  const rendered = renderConsole(<Timeline />, core, 'write', { now: clock.now });
  await act(() => openIncident(rendered.stores, incidentId));
  const box = await screen.findByRole('textbox', { name: 'Timeline entry' });
  const entries = () => core.call('timeline.list', { incidentId }).entries;
  return { core, clock, incidentId, user, box, entries, ...rendered };
}

const feed = () => screen.getByRole('feed', { name: 'Timeline entries' });

describe('QuickEntry', () => {
  it('/decision Roll back records a decision, shown with its author and UTC and local time', async () => {
    const { user, box, entries } = await timelineOnScreen();
    await user.type(box, '/decision Roll back');
    expect(screen.getByText('Records a decision · occurred now')).toBeInTheDocument();
    await user.keyboard('{Enter}');

    const entry = await within(feed()).findByRole('article', { name: 'decision by Ana at 14:30:00Z' });
    expect(within(entry).getByText('Roll back')).toBeInTheDocument();
    expect(within(entry).getByText('Ana')).toBeInTheDocument();
    expect(within(entry).getByText('14:30:00Z · 15:30:00 local')).toBeInTheDocument();
    expect(entries()).toMatchObject([{ kind: 'decision', text: 'Roll back', occurredAt: NOW, by: 'Ana' }]);
    expect(box).toHaveValue('');
  });

  it('@14:02Z Paged DBA records a note that occurred at 14:02Z, with a hint of when first', async () => {
    const { user, box, entries } = await timelineOnScreen();
    await user.type(box, '@14:02Z Paged DBA');
    expect(screen.getByText('Records a note · occurred 14:02:00Z · 15:02:00 local')).toBeInTheDocument();
    await user.keyboard('{Enter}');

    const entry = await within(feed()).findByRole('article', { name: 'note by Ana at 14:02:00Z' });
    expect(within(entry).getByText('Paged DBA')).toBeInTheDocument();
    expect(within(entry).getByText('14:02:00Z · 15:02:00 local')).toBeInTheDocument();
    // Recorded at 14:30 about 14:02: the entry says when it was written too.
    expect(within(entry).getByText('recorded 14:30:00Z')).toBeInTheDocument();
    expect(entries()).toMatchObject([{ kind: 'note', text: 'Paged DBA', occurredAt: Date.UTC(2026, 10, 29, 14, 2) }]);
  });

  it('@15:02 is local time (15:02 in Berlin is 14:02Z); a time later than now is yesterday’s', async () => {
    const { user, box, entries } = await timelineOnScreen();
    await user.type(box, '/action @15:02 Paged DBA{Enter}');
    await within(feed()).findByText('Paged DBA');
    await user.type(box, '@15:45 Deploy started');
    expect(screen.getByText('Records a note · occurred 14:45:00Z · 15:45:00 local yesterday')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    await within(feed()).findByText('Deploy started');
    expect(entries().map((e) => [e.kind, e.occurredAt])).toEqual([
      ['note', Date.UTC(2026, 10, 28, 14, 45)],
      ['action', Date.UTC(2026, 10, 29, 14, 2)],
    ]);
  });

  it('/sev P0 changes the severity; the derived system entry appears by itself', async () => {
    const { core, incidentId, user, box } = await timelineOnScreen();
    await user.type(box, '/sev P0');
    expect(screen.getByText('Changes severity P1 → P0')).toBeInTheDocument();
    await user.keyboard('{Enter}');

    expect(await within(feed()).findByText('Ana changed severity P1 → P0')).toBeInTheDocument();
    expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P0');
    expect(within(feed()).getByRole('article', { name: /^system by Ana/ })).toBeInTheDocument();
  });

  it('/phase containment moves the incident to that phase', async () => {
    const { core, incidentId, user, box } = await timelineOnScreen();
    await user.type(box, '/phase cont');
    expect(screen.getByText('Moves to phase Containment (from Detection & Assessment)')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(await within(feed()).findByText(/Ana moved to phase Containment/)).toBeInTheDocument();
    expect(core.call('incidents.get', { incidentId }).state.phase).toBe('containment');
  });

  it('an invalid line shows what was wrong and Enter records nothing', async () => {
    const { user, box, entries } = await timelineOnScreen();
    await user.type(box, '/foo bar');
    expect(screen.getByText(/^unknown command \/foo: use \/decision, \/action/)).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('unknown command /foo');
    expect(box).toHaveValue('/foo bar');

    await user.clear(box);
    await user.type(box, '@25:00 Paged DBA{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('@25:00 is not a time');
    await user.clear(box);
    await user.type(box, '/sev P1{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('severity is already P1');
    expect(entries()).toEqual([]);
  });

  it('a line the core refuses keeps its text in the box, with the reason under it, until it is stored', async () => {
    const { core, incidentId, user, box, stores } = await timelineOnScreen();
    // The quick entry lets any reason through; the core holds a reason to 1,000 characters.
    const reason = 'r'.repeat(1_001);
    const refusal = caught(() => core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0', reason })).message;
    await user.click(box);
    await user.paste(`/sev P0 ${reason}`);
    await user.keyboard('{Enter}');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(refusal);
    expect(box.closest('form')).toContainElement(alert);
    expect(box).toHaveValue(`/sev P0 ${reason}`);
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P1');
    // Said beside the box only, not again among the console's notices.
    expect(stores.notices.getState().notices).toEqual([]);

    await user.clear(box);
    await user.type(box, '/sev P0 checkout down{Enter}');
    await waitFor(() => expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P0'));
    await waitFor(() => expect(box).toHaveValue(''));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('"/" or "e" anywhere on the screen focuses the entry box; "/" starts a command', async () => {
    const { user, box } = await timelineOnScreen();
    await user.click(screen.getByRole('heading', { name: 'Timeline' }));
    expect(box).not.toHaveFocus();
    await user.keyboard('/');
    expect(box).toHaveFocus();
    expect(box).toHaveValue('/');

    await user.keyboard('dec{Escape}');
    expect(box).not.toHaveFocus();
    await user.keyboard('e');
    expect(box).toHaveFocus();
    // Escape kept what was typed; "e" only focused, and typing goes on where it was.
    expect(box).toHaveValue('/dec');
    await user.keyboard('ision Roll back');
    expect(box).toHaveValue('/decision Roll back');
  });

  it('the command palette’s "Focus timeline entry" focuses it too', async () => {
    const { box } = await timelineOnScreen();
    act(() => {
      window.dispatchEvent(new Event(FOCUS_QUICK_ENTRY_EVENT));
    });
    expect(box).toHaveFocus();
  });

  it('typing "e" in the search box types an e, not a jump', async () => {
    const { user, box } = await timelineOnScreen();
    const search = screen.getByRole('searchbox', { name: 'Search the timeline' });
    await user.type(search, 'e/');
    expect(search).toHaveValue('e/');
    expect(box).not.toHaveFocus();
  });
});

