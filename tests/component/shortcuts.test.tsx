import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { IncidentScreen } from '../../renderer/components/IncidentScreen';
import { WallDisplay } from '../../renderer/components/WallDisplay';
import { testCore } from '../support/cores';
import { renderConsole } from '../support/render-console';

/** Ana's P1 with two entries, on the incident screen with the console's keyboard, as the app shows it. */
async function onIncidentScreen(access: 'write' | 'read' = 'write') {
  const { core, clock } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  for (const text of ['Error rate at 12 %', 'Rolled back deploy 42']) {
    clock.advance(60_000);
    core.call('timeline.add', { incidentId, text });
  }
  window.location.hash = `#/incident/${incidentId}`;
  const user = userEvent.setup();
  const rendered = renderConsole(
    <>
      <IncidentScreen incidentId={incidentId} />
      <KeyboardShortcuts />
    </>,
    core,
    access,
    { now: clock.now },
  );
  await within(await screen.findByRole('feed', { name: 'Timeline entries' })).findByText('Rolled back deploy 42');
  const incident = () => core.call('incidents.get', { incidentId }).state;
  const starred = () => core.call('timeline.list', { incidentId, starred: true }).entries.map((e) => e.text);
  return { core, incidentId, user, incident, starred, ...rendered };
}

const entry = (text: string) => {
  const article = within(screen.getByRole('feed', { name: 'Timeline entries' })).getByText(text).closest('article');
  if (!article) throw new Error(`no entry shows ${text}`);
  return article;
};
const focus = (element: HTMLElement) => act(() => element.focus());

describe('Incident shortcuts', () => {
  it('timeline entries take focus from Tab, so the keyboard can reach them', async () => {
    await onIncidentScreen();
    for (const article of within(screen.getByRole('feed', { name: 'Timeline entries' })).getAllByRole('article')) {
      expect(article).toHaveAttribute('tabindex', '0');
    }
  });

  it('s stars the focused timeline entry, and unstars it', async () => {
    const { user, starred } = await onIncidentScreen();
    focus(entry('Rolled back deploy 42'));
    await user.keyboard('s');
    await waitFor(() => expect(starred()).toEqual(['Rolled back deploy 42']));
    await waitFor(() => expect(within(entry('Rolled back deploy 42')).getByRole('button', { name: 'Star' })).toHaveAttribute('aria-pressed', 'true'));

    // From a button inside the entry too: focus is in that entry.
    focus(within(entry('Rolled back deploy 42')).getByRole('button', { name: 'Star' }));
    await user.keyboard('s');
    await waitFor(() => expect(starred()).toEqual([]));
    expect(within(entry('Error rate at 12 %')).getByRole('button', { name: 'Star' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('Alt+0 … Alt+3 set the severity, Alt+N moves to the next phase', async () => {
    const { user, incident, stores } = await onIncidentScreen();
    await user.keyboard('{Alt>}0{/Alt}');
    await waitFor(() => expect(incident().severity).toBe('P0'));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Severity' })).toHaveDisplayValue('P0'));
    await user.keyboard('{Alt>}3{/Alt}');
    await waitFor(() => expect(incident().severity).toBe('P3'));

    expect(incident().phase).toBe('detection');
    await user.keyboard('{Alt>}n{/Alt}');
    await waitFor(() => expect(incident().phase).toBe('containment'));
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('declares the keys on the controls they act on', async () => {
    await onIncidentScreen();
    expect(screen.getByRole('combobox', { name: 'Severity' })).toHaveAttribute('aria-keyshortcuts', 'Alt+0 Alt+1 Alt+2 Alt+3');
    expect(screen.getByRole('button', { name: 'Next phase' })).toHaveAttribute('aria-keyshortcuts', 'Alt+N');
    expect(within(entry('Error rate at 12 %')).getByRole('button', { name: 'Star' })).toHaveAttribute('aria-keyshortcuts', 's');
  });

  it('do nothing while the person types', async () => {
    const { user, incident, starred } = await onIncidentScreen();
    const box = screen.getByRole('textbox', { name: 'Timeline entry' });
    await user.click(box);
    await user.keyboard('{Alt>}0{/Alt}{Alt>}n{/Alt}');
    await user.keyboard('s');
    expect(box).toHaveValue('s');
    // Given the core time to answer, had anything been sent.
    await act(async () => undefined);
    expect(incident()).toMatchObject({ severity: 'P1', phase: 'detection' });
    expect(starred()).toEqual([]);
  });

  it('do nothing in a read-only view, not even ask the core', async () => {
    const { user, incident, starred, stores } = await onIncidentScreen('read');
    focus(entry('Rolled back deploy 42'));
    await user.keyboard('s{Alt>}0{/Alt}{Alt>}n{/Alt}');
    await act(async () => undefined);
    expect(incident()).toMatchObject({ severity: 'P1', phase: 'detection' });
    expect(starred()).toEqual([]);
    // A refused call would have left its reason among the notices.
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('do nothing on the wall display, even for a writer', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    window.location.hash = `#/wall/${incidentId}`;
    const user = userEvent.setup();
    const { stores } = renderConsole(
      <>
        <WallDisplay incidentId={incidentId} />
        <KeyboardShortcuts />
      </>,
      core,
      'write',
      { now: clock.now },
    );
    await screen.findByRole('heading', { level: 1, name: 'Payments failing' });
    await user.keyboard('{Alt>}0{/Alt}{Alt>}n{/Alt}');
    await act(async () => undefined);
    expect(core.call('incidents.get', { incidentId }).state).toMatchObject({ severity: 'P1', phase: 'detection' });
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('are listed in the palette’s help', async () => {
    const { user } = await onIncidentScreen();
    await user.keyboard('?');
    const help = within(screen.getByRole('dialog', { name: 'Command palette' })).getByRole('region', { name: 'Keyboard shortcuts' });
    expect(help).toHaveTextContent('SStar or unstar the focused timeline entry');
    expect(help).toHaveTextContent('Alt+0 … Alt+3Set severity P0 … P3 (incident screen)');
    expect(help).toHaveTextContent('Alt+NNext phase (incident screen)');
  });
});
