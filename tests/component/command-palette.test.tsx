import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { useRoute } from '../../renderer/app/route';
import { FOCUS_QUICK_ENTRY_EVENT } from '../../renderer/app/shortcuts';
import { IncidentList } from '../../renderer/components/IncidentList';
import { testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

/** Ana's P1, open on the incident screen. */
async function onIncidentScreen(access: 'write' | 'read' = 'write') {
  const { core } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  window.location.hash = `#/incident/${incidentId}`;
  const user = userEvent.setup();
  const { stores } = renderConsole(<KeyboardShortcuts />, core, access);
  await openIncident(stores, incidentId);
  return { core, incidentId, user, stores };
}

/** The incident list where the route says so, as the app shows it. */
function ListWhenRouted() {
  return useRoute().screen === 'incidents' ? <IncidentList /> : null;
}

const commandNames = () => within(screen.getByRole('listbox', { name: 'Commands' })).getAllByRole('option').map((o) => o.textContent ?? '');

describe('CommandPalette', () => {
  it('opens with Ctrl+K; "sev p0" and Enter sets the severity to P0', async () => {
    const { core, incidentId, user } = await onIncidentScreen();
    await user.keyboard('{Control>}k{/Control}');
    const palette = screen.getByRole('dialog', { name: 'Command palette' });
    expect(within(palette).getByRole('combobox', { name: 'Filter commands' })).toHaveFocus();

    const { violations } = await axe.run(palette, { rules: { 'color-contrast': { enabled: false } } });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    await user.keyboard('sev p0');
    expect(commandNames()).toEqual(['Set severity P0 (Critical)']);
    await user.keyboard('{Enter}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P0'));
  });

  it('lists the frequent actions, and moves through them with the arrow keys', async () => {
    const { core, incidentId, user } = await onIncidentScreen();
    await user.keyboard('{Control>}k{/Control}');
    expect(commandNames()).toEqual([
      'Go to incidentsG I',
      'Declare incidentN',
      'Open team directory',
      'Join incident…',
      'Open wall displayW',
      'Next phase: Containment',
      'Set severity P0 (Critical)',
      'Set severity P2 (Medium)',
      'Set severity P3 (Low)',
      'Set status mitigated',
      'Set status resolved',
      'Mark team notified',
      'Mark root cause identified',
      'Export incident…',
      'Share incident…',
      'Focus timeline entry',
      'Export evidence bundle',
      'Show starred entries only',
      'Open response review',
      'Back up the store now',
      'Switch theme',
    ]);

    await user.keyboard('status');
    const filter = screen.getByRole('combobox', { name: 'Filter commands' });
    expect(screen.getByRole('option', { name: 'Set status mitigated' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    const resolved = screen.getByRole('option', { name: 'Set status resolved' });
    expect(resolved).toHaveAttribute('aria-selected', 'true');
    expect(filter).toHaveAttribute('aria-activedescendant', resolved.id);
    await user.keyboard('{Enter}');

    await waitFor(() => expect(core.call('incidents.get', { incidentId }).state.status).toBe('resolved'));
  });

  it('marks the team notified, and asks the timeline to focus its quick entry', async () => {
    const { core, incidentId, user } = await onIncidentScreen();
    await user.keyboard('{Control>}k{/Control}team notified{Enter}');
    await waitFor(() => expect(core.call('incidents.get', { incidentId }).state.milestones.teamNotified).toBeDefined());

    const focusRequests = vi.fn();
    window.addEventListener(FOCUS_QUICK_ENTRY_EVENT, focusRequests);
    await user.keyboard('{Control>}k{/Control}focus timeline{Enter}');
    window.removeEventListener(FOCUS_QUICK_ENTRY_EVENT, focusRequests);
    expect(focusRequests).toHaveBeenCalledTimes(1);
  });

  it('toggles the timeline to starred entries only', async () => {
    const { user, stores } = await onIncidentScreen();
    await user.keyboard('{Control>}k{/Control}starred{Enter}');
    await waitFor(() => expect(stores.timeline.getState().filter.starredOnly).toBe(true));
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.getByRole('option', { name: 'Show all entries' })).toBeInTheDocument();
  });

  it('closes with Escape and with Ctrl+K again, and opens with ? showing the shortcuts', async () => {
    const { user } = await onIncidentScreen();
    await user.keyboard('{Control>}k{/Control}');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.keyboard('?');
    const palette = screen.getByRole('dialog', { name: 'Command palette' });
    expect(within(palette).getByRole('region', { name: 'Keyboard shortcuts' })).toHaveTextContent('G then IGo to incidents');
    await user.keyboard('{Control>}k{/Control}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('hides every action that writes in a read-only view', async () => {
    const { user } = await onIncidentScreen('read');
    await user.keyboard('{Control>}k{/Control}');
    // An evidence bundle writes nothing and holds no secret: an observer may save one too.
    expect(commandNames()).toEqual(['Go to incidentsG I', 'Open team directory', 'Open wall displayW', 'Export incident…', 'Export evidence bundle', 'Show starred entries only', 'Open response review', 'Switch theme']);
  });

  it('on the wall display offers nothing that writes, even to a writer', async () => {
    const { user, incidentId } = await onIncidentScreen();
    window.location.hash = `#/wall/${incidentId}`;
    await waitFor(() => expect(window.location.hash).toBe(`#/wall/${incidentId}`));
    await user.keyboard('{Control>}k{/Control}');
    expect(commandNames()).toEqual(['Go to incidentsG I']);
  });
});

describe('KeyboardShortcuts', () => {
  it('w opens the wall display of the incident on screen, g i goes back to the incidents', async () => {
    const { user, incidentId } = await onIncidentScreen();
    await user.keyboard('w');
    await waitFor(() => expect(window.location.hash).toBe(`#/wall/${incidentId}`));
    await user.keyboard('gi');
    await waitFor(() => expect(window.location.hash).toBe('#/'));
  });

  it('n declares an incident on the list, but not while typing', async () => {
    const { core } = testCore({ name: 'Ana' });
    window.location.hash = '#/';
    const user = userEvent.setup();
    renderConsole(
      <>
        <IncidentList />
        <KeyboardShortcuts />
      </>,
      core,
    );
    await screen.findByRole('button', { name: 'Declare incident' });
    await user.keyboard('n');
    const title = await screen.findByRole('textbox', { name: 'Title' });
    expect(title).toHaveFocus();
    // The key that opened the form is not typed into it, and typing an n opens nothing else.
    await user.keyboard('n');
    expect(title).toHaveValue('n');
    expect(screen.getAllByRole('form', { name: 'Declare incident' })).toHaveLength(1);
  });

  it('"Declare incident" in the palette goes to the list and opens the declare form there', async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    window.location.hash = `#/incident/${incidentId}`;
    const user = userEvent.setup();
    const { stores } = renderConsole(
      <>
        <ListWhenRouted />
        <KeyboardShortcuts />
      </>,
      core,
    );
    await openIncident(stores, incidentId);
    await user.keyboard('{Control>}k{/Control}declare{Enter}');
    expect(await screen.findByRole('form', { name: 'Declare incident' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/');
  });

  it('does nothing on a single key while a text field has focus', async () => {
    const { user } = await onIncidentScreen();
    const field = document.createElement('input');
    document.body.append(field);
    field.focus();
    await user.keyboard('w');
    expect(window.location.hash).toMatch(/^#\/incident\//);
    field.remove();
  });
});
