/** The command palette's "Share incident…" and "Join incident…" (DESIGN.md §7: every frequent action from the keyboard). */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { useRoute } from '../../renderer/app/route';
import { IncidentHeader } from '../../renderer/components/IncidentHeader';
import { IncidentList } from '../../renderer/components/IncidentList';
import { useOpenIncident } from '../../renderer/state/console-stores';
import { openCore, relayAddress, startTestRelay, waitFor as poll } from '../integration/sync/sync-harness';
import type { Core } from '../../electron/core/core';
import { openIncident, renderConsole } from '../support/render-console';

/** The list or the header, by route, with the keyboard: enough of the app for the palette's sync commands. */
function Screens() {
  const route = useRoute();
  const view = useOpenIncident((s) => s.view);
  if (route.screen === 'incidents') return <IncidentList />;
  return route.screen === 'incident' && view ? <IncidentHeader view={view} /> : null;
}

async function onIncidentScreen(core: Core, incidentId: string) {
  window.location.hash = `#/incident/${incidentId}`;
  const user = userEvent.setup();
  const { stores } = renderConsole(
    <>
      <Screens />
      <KeyboardShortcuts />
    </>,
    core,
  );
  await act(() => openIncident(stores, incidentId));
  return user;
}

const commandNames = () => within(screen.getByRole('listbox', { name: 'Commands' })).getAllByRole('option').map((o) => o.textContent ?? '');

describe("the palette's sync commands", () => {
  it('"Share incident…" opens the share dialog', async () => {
    const core = openCore(undefined, 'Ana');
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    const user = await onIncidentScreen(core, incidentId);
    await screen.findByRole('heading', { level: 1, name: 'Payments failing' });

    await user.keyboard('{Control>}k{/Control}share{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Share incident' });
    expect(within(dialog).getByRole('button', { name: 'Host this incident on this computer' })).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Use a relay' })).toBeInTheDocument();
  });

  it('"Join incident…" goes to the list and opens the join form there', async () => {
    const core = openCore(undefined, 'Ana');
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    const user = await onIncidentScreen(core, incidentId);
    await screen.findByRole('heading', { level: 1, name: 'Payments failing' });

    await user.keyboard('{Control>}k{/Control}join{Enter}');
    const form = await screen.findByRole('form', { name: 'Join incident' });
    expect(window.location.hash).toBe('#/join');
    expect(within(form).getByRole('textbox', { name: /^Link/ })).toHaveFocus();
  });

  it('offers joining but not sharing on an incident this device joined with a read link', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    const { readLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const legal = openCore(undefined, 'Legal');
    legal.call('incidents.join', { link: readLink, name: 'Legal' });
    await poll(() => legal.call('incidents.list', {}).length === 1, 'the incident to reach the observer');
    const user = await onIncidentScreen(legal, incidentId);
    await screen.findByText('read only');

    await user.keyboard('{Control>}k{/Control}');
    expect(commandNames()).toContain('Join incident…');
    expect(commandNames()).not.toContain('Share incident…');
    await user.keyboard('{Escape}');
    window.dispatchEvent(new Event('sitrep:share-incident'));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
