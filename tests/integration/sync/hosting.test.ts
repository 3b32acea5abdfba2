/**
 * Hosting a relay inside the console (relay.host) and moving an incident to another relay: the
 * new relay is re-seeded from this device's full copy (any member may upload any op).
 */
import { converged, entryTexts, openCore, relayAddress, startTestRelay, status, waitFor } from './sync-harness';

describe('relays a console hosts or moves to', () => {
  it('hosts a relay in-process that others sync through, and stops it', async () => {
    const ana = openCore(undefined, 'Ana');
    const hosted = await ana.invoke('relay.host', { port: 0 });
    expect(hosted.port).toBeGreaterThan(0);
    expect(hosted.addresses).toContain(`127.0.0.1:${hosted.port}`);
    expect(ana.call('relay.hosted', {})).toEqual(hosted);

    const { incidentId } = ana.call('incidents.declare', { title: 'Internet down', severity: 'P0' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: `127.0.0.1:${hosted.port}` });
    const bea = openCore(undefined, 'Bea');
    bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
    await bea.invoke('timeline.add', { incidentId, text: 'Uplink B is up' });
    await converged(incidentId, ana, bea);

    expect(await ana.invoke('relay.stopHosting', {})).toBeNull();
    expect(ana.call('relay.hosted', {})).toBeNull();
    await waitFor(() => status(bea, incidentId).state !== 'live', 'Bea to lose the relay');
  });

  it('moves an incident to another relay, which it re-seeds with every member op it holds', async () => {
    const first = await startTestRelay();
    const second = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Relay migration', severity: 'P2' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(first) });
    const bea = openCore(undefined, 'Bea');
    bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
    await bea.invoke('timeline.add', { incidentId, text: 'written by Bea' });
    await converged(incidentId, ana, bea);

    const moved = ana.call('incidents.moveRelay', { incidentId, relay: `ws://${relayAddress(second)}` });
    expect(moved.relay).toBe(relayAddress(second));
    await waitFor(() => status(ana, incidentId).state === 'live' && status(ana, incidentId).pendingOps === 0, 'the second relay to hold Ana');

    const { readLink } = ana.call('incidents.links', { incidentId });
    expect(readLink).toContain(`/${relayAddress(second)}/`);
    const cy = openCore(undefined, 'Cy');
    cy.call('incidents.join', { link: readLink, name: 'Cy' });
    await converged(incidentId, ana, cy);
    expect(entryTexts(cy, incidentId)).toEqual(['written by Bea']);
  });
});
