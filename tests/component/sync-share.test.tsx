/**
 * Sharing an incident from its header (DESIGN.md §5 "Keys and rights"): through a relay named by
 * host:port or one hosted on this computer, the write and read links as text and as QR codes, a
 * move to another relay, and never a link or a QR code in a read-only view or on the wall.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WallDisplay } from '../../renderer/components/WallDisplay';
import { parseJoinLink } from '../../shared/sync/join-link';
import { openCore, relayAddress, startTestRelay, waitFor as poll } from '../integration/sync/sync-harness';
import { renderConsole } from '../support/render-console';
import { showIncident, syncLine } from '../support/sync-console';

const dialog = () => screen.getByRole('dialog', { name: 'Share incident' });
const linkIn = (kind: 'Write link' | 'Read link') => within(within(dialog()).getByRole('region', { name: kind })).getByText(/^sitrep:\/\/join\//).closest('code')!;

/** The SVG a QR code image shows. */
const svgOf = (img: HTMLElement) => {
  const src = img.getAttribute('src') ?? '';
  expect(src).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
  return decodeURIComponent(src.slice(src.indexOf(',') + 1));
};

function declared(name = 'Ana') {
  const core = openCore(undefined, name);
  const { incidentId } = core.call('incidents.declare', { title: 'API latency', severity: 'P2' });
  return { core, incidentId };
}

describe('sharing an incident', () => {
  it('through a relay: shows the write and read links, each copyable and as a QR code, and the header goes live', async () => {
    const relay = await startTestRelay();
    const { core, incidentId } = declared();
    const user = userEvent.setup();
    await showIncident(core, incidentId);
    expect(within(syncLine()).getByText('not shared')).toBeInTheDocument();

    await user.click(within(syncLine()).getByRole('button', { name: 'Share…' }));
    // Focus moves into the dialog, and back to "Share…" when it closes.
    expect(within(dialog()).getByRole('button', { name: 'Host this incident on this computer' })).toHaveFocus();
    await user.click(within(dialog()).getByRole('button', { name: 'Use a relay' }));
    await user.type(within(dialog()).getByRole('textbox', { name: 'Relay address (host:port)' }), relayAddress(relay));
    await user.click(within(dialog()).getByRole('button', { name: 'Share through this relay' }));

    const links = core.call('incidents.links', { incidentId });
    await waitFor(() => expect(linkIn('Write link')).toHaveTextContent(links.writeLink!));
    expect(linkIn('Write link').textContent).toBe(links.writeLink);
    expect(linkIn('Read link').textContent).toBe(links.readLink);
    expect(parseJoinLink(linkIn('Write link').textContent!)).toMatchObject({ incidentId, access: 'write', relay: { host: '127.0.0.1', port: relay.port } });
    expect(parseJoinLink(linkIn('Read link').textContent!)).toMatchObject({ incidentId, access: 'read' });
    // The secret reads aloud in groups of four.
    expect(links.readLink.split('#')[1]).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);

    const writeQr = await within(dialog()).findByRole('img', { name: 'QR code of the write link' });
    const readQr = await within(dialog()).findByRole('img', { name: 'QR code of the read link' });
    expect(svgOf(writeQr)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox/);
    expect(svgOf(readQr)).not.toBe(svgOf(writeQr));

    await user.click(within(dialog()).getByRole('button', { name: 'Copy write link' }));
    expect(await navigator.clipboard.readText()).toBe(links.writeLink);
    expect(within(within(dialog()).getByRole('region', { name: 'Write link' })).getByRole('status')).toHaveTextContent('Copied');
    await user.click(within(dialog()).getByRole('button', { name: 'Copy read link' }));
    expect(await navigator.clipboard.readText()).toBe(links.readLink);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(within(syncLine()).getByRole('button', { name: 'Share…' })).toHaveFocus();
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument());
    expect(syncLine()).toHaveTextContent(`relay ${relayAddress(relay)}`);
  });

  it('hosted on this computer: shows the addresses others reach it at and shares through the first', async () => {
    const { core, incidentId } = declared();
    const user = userEvent.setup();
    const { unmount } = await showIncident(core, incidentId);

    await user.click(within(syncLine()).getByRole('button', { name: 'Share…' }));
    await user.click(within(dialog()).getByRole('button', { name: 'Host this incident on this computer' }));
    await user.click(within(dialog()).getByRole('button', { name: 'Start the relay and share' }));

    const hosted = await poll(() => core.call('relay.hosted', {}), 'the hosted relay');
    const addresses = await within(dialog()).findByRole('list', { name: /Others reach it at/ });
    expect(within(addresses).getAllByRole('listitem').map((li) => li.textContent)).toEqual(hosted.addresses);
    await waitFor(() => expect(parseJoinLink(linkIn('Write link').textContent!).relay).toEqual({ host: hosted.addresses[0].split(':')[0], port: hosted.port, tls: false }));
    expect(within(dialog()).getByRole('img', { name: 'QR code of the read link' })).toBeInTheDocument();
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument());
    unmount();
    await core.invoke('relay.stopHosting', {});
  });

  it('moves the incident to another relay in one action, and shows the new links', async () => {
    const first = await startTestRelay();
    const second = await startTestRelay();
    const { core, incidentId } = declared();
    core.call('incidents.share', { incidentId, relay: relayAddress(first) });
    const user = userEvent.setup();
    await showIncident(core, incidentId);

    await user.click(within(syncLine()).getByRole('button', { name: 'Share…' }));
    // Already shared: the links at once.
    await waitFor(() => expect(linkIn('Read link')).toHaveTextContent(`sitrep://join/${relayAddress(first)}/`));
    await user.click(within(dialog()).getByRole('button', { name: 'Move to another relay' }));
    const move = within(dialog()).getByRole('region', { name: 'Move to another relay' });
    await user.click(within(move).getByRole('button', { name: 'Use a relay' }));
    await user.type(within(move).getByRole('textbox', { name: 'Relay address (host:port)' }), relayAddress(second));
    await user.click(within(move).getByRole('button', { name: 'Move to this relay' }));

    await waitFor(() => expect(linkIn('Read link')).toHaveTextContent(`sitrep://join/${relayAddress(second)}/${incidentId}#`));
    expect(linkIn('Write link').textContent).toBe(core.call('incidents.links', { incidentId }).writeLink);
    await waitFor(() => expect(syncLine()).toHaveTextContent(`relay ${relayAddress(second)}`));
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument());
  });

  it('refuses a relay address that is not host:port beside the form, keeping what was typed', async () => {
    const { core, incidentId } = declared();
    const user = userEvent.setup();
    await showIncident(core, incidentId);
    await user.click(within(syncLine()).getByRole('button', { name: 'Share…' }));
    await user.click(within(dialog()).getByRole('button', { name: 'Use a relay' }));
    const address = within(dialog()).getByRole('textbox', { name: 'Relay address (host:port)' });
    await user.type(address, 'no port here');
    await user.click(within(dialog()).getByRole('button', { name: 'Share through this relay' }));

    expect(await within(dialog()).findByRole('alert')).not.toBeEmptyDOMElement();
    expect(address).toHaveValue('no port here');
    expect(within(dialog()).queryByText(/^sitrep:\/\//)).not.toBeInTheDocument();
    expect(core.call('sync.status', { incidentId }).state).toBe('not-shared');
  });

  it('offers no share, link or QR code in a read-only view, to a read-link member, or on the wall display', async () => {
    const relay = await startTestRelay();
    const { core, incidentId } = declared();
    const links = core.call('incidents.share', { incidentId, relay: relayAddress(relay) });

    const readOnly = await showIncident(core, incidentId, 'read');
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument());
    expect(within(syncLine()).queryByRole('button')).not.toBeInTheDocument();
    window.dispatchEvent(new Event('sitrep:share-incident'));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    readOnly.unmount();

    const observer = openCore(undefined, 'Legal');
    observer.call('incidents.join', { link: links.readLink, name: 'Legal' });
    await poll(() => observer.call('incidents.list', {}).length === 1, 'the observer to catch up');
    const observing = await showIncident(observer, incidentId);
    expect(await screen.findByText('read only')).toBeInTheDocument();
    expect(within(syncLine()).queryByRole('button', { name: 'Share…' })).not.toBeInTheDocument();
    observing.unmount();

    const { container } = renderConsole(<WallDisplay incidentId={incidentId} />, core, 'read');
    expect(await screen.findByRole('heading', { level: 1, name: 'API latency' })).toBeInTheDocument();
    expect(container.querySelectorAll('img, svg image, canvas')).toHaveLength(0);
    expect(container.textContent).not.toMatch(/sitrep:\/\//);
    expect(container.textContent).not.toContain(links.readLink.split('#')[1]);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
