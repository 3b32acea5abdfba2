/**
 * A member re-hosts the incident after the relay is gone (issue 5), with real processes on
 * 127.0.0.1: the `sitrep relay` process is killed with SIGKILL and never comes back; members keep
 * writing with no relay at all; one hosts a relay inside their console (relay.host) and moves the
 * incident to it (incidents.moveRelay), re-seeding it with everything it holds; the others move
 * to the new address (one call each, an observer too).
 *
 * Invariants: no lost op (what was written while no relay existed reaches everyone); identical
 * replicated state; every chain intact; a newcomer joining through the new relay gets everything.
 */
import { FAST_SYNC } from './sync-harness';
import { killRelayProcess, startRelayProcess } from '../../support/relay-process';
import { eventually, peersConverged, startPeer, type Peer } from '../../support/sync-peers';
import { tempDir } from '../../support/temp-dir';

const NOTES_WITHOUT_RELAY = 25;

const state = async (peer: Peer, incidentId: string) => (await peer.invoke('sync.status', { incidentId })).state;

test('after the relay dies for good, one member hosts it in their console and everyone converges on the new relay', async () => {
  const old = await startRelayProcess(tempDir('sitrep-relay-gone-'));
  const [ana, bea, lee] = await Promise.all(['Ana', 'Bea', 'Lee'].map((name) => startPeer(name, FAST_SYNC)));
  const { incidentId } = await ana.invoke('incidents.declare', { title: 'Core switch failure', severity: 'P0' });
  const { writeLink, readLink } = await ana.invoke('incidents.share', { incidentId, relay: `127.0.0.1:${old.port}` });
  await bea.invoke('incidents.join', { link: writeLink!, name: 'Bea' });
  await lee.invoke('incidents.join', { link: readLink, name: 'Lee' });
  await ana.invoke('timeline.add', { incidentId, text: 'Switch A unresponsive' });
  await peersConverged(incidentId, [ana, bea, lee]);

  await killRelayProcess(old);
  for (const peer of [ana, bea, lee]) await eventually(async () => (await state(peer, incidentId)) !== 'live', `${peer.name} to lose the relay`);
  await Promise.all([
    ana.ask({ type: 'write-notes', incidentId, prefix: 'Ana without a relay', count: NOTES_WITHOUT_RELAY }),
    bea.ask({ type: 'write-notes', incidentId, prefix: 'Bea without a relay', count: NOTES_WITHOUT_RELAY }),
  ]);
  expect((await bea.invoke('sync.status', { incidentId })).pendingOps).toBeGreaterThanOrEqual(NOTES_WITHOUT_RELAY);

  // Bea hosts it in her console: she holds everything, her own writes without a relay included.
  const hosted = await bea.invoke('relay.host', { port: 0 });
  const address = `127.0.0.1:${hosted.port}`;
  await bea.invoke('incidents.moveRelay', { incidentId, relay: address });
  await eventually(async () => {
    const s = await bea.invoke('sync.status', { incidentId });
    return s.state === 'live' && s.pendingOps === 0 && s.relay === address;
  }, 'the hosted relay to hold everything Bea holds');

  for (const peer of [ana, lee]) expect((await peer.invoke('incidents.moveRelay', { incidentId, relay: address })).relay).toBe(address);
  const converged = await peersConverged(incidentId, [ana, bea, lee]);
  for (const who of ['Ana', 'Bea']) {
    expect(converged.timeline.filter((e) => e.text.startsWith(`${who} without a relay `))).toHaveLength(NOTES_WITHOUT_RELAY);
  }
  await eventually(async () => (await ana.invoke('sync.status', { incidentId })).pendingOps === 0, "the hosted relay to hold Ana's writes");
  for (const peer of [ana, bea, lee]) expect(await peer.ask<string[]>({ type: 'chain-problems', incidentId })).toEqual([]);

  // A newcomer joins with the links of the new relay and gets everything.
  const links = await bea.invoke('incidents.links', { incidentId });
  expect(links.readLink).toContain(`/${address}/`);
  const cy = await startPeer('Cy', FAST_SYNC);
  await cy.invoke('incidents.join', { link: links.writeLink!, name: 'Cy' });
  await peersConverged(incidentId, [ana, bea, lee, cy]);

  await bea.invoke('relay.stopHosting', {});
  await Promise.all([ana, bea, lee, cy].map((peer) => peer.stop()));
}, 300_000);
