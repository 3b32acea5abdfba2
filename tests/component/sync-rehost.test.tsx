/**
 * A member re-hosts the incident after its relay is gone (issue 5): in the share dialog, "Host
 * this incident here" is one action that starts a relay on this computer, moves the incident to it
 * (re-seeded with everything this device holds) and shows the addresses to give the others; each
 * other member, an observer too, follows with one "Move to relay…". Everyone converges, with what
 * they wrote while no relay existed.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { converged, entryTexts, openCore, relayAddress, startTestRelay, status, stopRelay, waitFor as poll } from '../integration/sync/sync-harness';
import type { Core } from '../../electron/core/core';
import { showIncident, syncLine } from '../support/sync-console';

const dialogNamed = (name: string) => screen.getByRole('dialog', { name });
/** Connecting and catching up take a while on a busy machine; waits poll until then. */
const SYNC_WAIT = { timeout: 30_000 };

/** A member's console follows the incident to `address` with "Move to relay…", and shows it live there. */
async function followTo(core: Core, incidentId: string, address: string) {
  const user = userEvent.setup();
  const { unmount } = await showIncident(core, incidentId);
  await user.click(within(syncLine()).getByRole('button', { name: 'Move to relay…' }));
  const dialog = dialogNamed('Move to another relay');
  await user.type(within(dialog).getByRole('textbox', { name: 'New relay address (host:port)' }), address);
  await user.click(within(dialog).getByRole('button', { name: 'Move' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument(), SYNC_WAIT);
  await waitFor(() => expect(syncLine()).toHaveTextContent(`relay ${address}`), SYNC_WAIT);
  await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument(), SYNC_WAIT);
  unmount();
}

it('one member hosts the incident again in one action, the others follow in one action each, and all converge', async () => {
  const gone = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'Data centre power loss', severity: 'P0' });
  const { writeLink, readLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(gone) });
  const bea = openCore(undefined, 'Bea');
  bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
  const lee = openCore(undefined, 'Lee');
  lee.call('incidents.join', { link: readLink, name: 'Lee' });
  await converged(incidentId, ana, bea, lee);

  await stopRelay(gone);
  for (const core of [ana, bea, lee]) await poll(() => status(core, incidentId).state !== 'live', 'every console to lose the relay');
  ana.call('timeline.add', { incidentId, text: 'Generator started (no relay)' });
  await bea.invoke('timeline.add', { incidentId, text: 'UPS at 40% (no relay)' });

  // Ana: one action in the share dialog.
  const user = userEvent.setup();
  const { unmount } = await showIncident(ana, incidentId);
  await user.click(within(syncLine()).getByRole('button', { name: 'Share…' }));
  const share = dialogNamed('Share incident');
  await user.click(await within(share).findByRole('button', { name: 'Host this incident here' }));
  const hosted = await poll(() => ana.call('relay.hosted', {}), 'the relay hosted in the console');
  const addresses = await within(share).findByRole('list', { name: /Others reach it at/ }, SYNC_WAIT);
  expect(within(addresses).getAllByRole('listitem').map((li) => li.textContent)).toEqual(hosted.addresses);
  expect(hosted.addresses).toContain(`127.0.0.1:${hosted.port}`);
  await waitFor(() => expect(within(share).getByRole('region', { name: 'Read link' })).toHaveTextContent(`sitrep://join/${hosted.addresses[0]}/${incidentId}#`), SYNC_WAIT);
  // Already on the relay it hosts: nothing more to host.
  expect(within(share).queryByRole('button', { name: 'Host this incident here' })).not.toBeInTheDocument();
  await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument(), SYNC_WAIT);
  expect(syncLine()).toHaveTextContent(`relay ${hosted.addresses[0]}`);
  unmount();

  // The others: one action each, with the address Ana gives them.
  const address = `127.0.0.1:${hosted.port}`;
  await followTo(bea, incidentId, address);
  await followTo(lee, incidentId, address);

  const state = await converged(incidentId, ana, bea, lee);
  expect(state.timeline.map((e) => e.text)).toEqual(expect.arrayContaining(['Generator started (no relay)', 'UPS at 40% (no relay)']));
  expect(entryTexts(lee, incidentId)).toEqual(['Generator started (no relay)', 'UPS at 40% (no relay)']);
  await poll(() => status(ana, incidentId).pendingOps === 0 && status(bea, incidentId).pendingOps === 0, 'the new relay to hold every change');
  await ana.invoke('relay.stopHosting', {});
}, 120_000);

it('refuses an address that is not host:port beside the form, keeping what was typed and the relay', async () => {
  const relay = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'VPN down', severity: 'P2' });
  ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  const user = userEvent.setup();
  await showIncident(ana, incidentId);
  await user.click(within(syncLine()).getByRole('button', { name: 'Move to relay…' }));
  const dialog = dialogNamed('Move to another relay');
  expect(dialog).toHaveTextContent(`Now through relay ${relayAddress(relay)}`);
  const field = within(dialog).getByRole('textbox', { name: 'New relay address (host:port)' });
  await user.type(field, 'relay without port');
  await user.click(within(dialog).getByRole('button', { name: 'Move' }));
  expect(await within(dialog).findByRole('alert')).toHaveTextContent('relay: expected "host:port"');
  expect(field).toHaveValue('relay without port');
  expect(status(ana, incidentId).relay).toBe(relayAddress(relay));
});
