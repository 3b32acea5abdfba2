/**
 * Invariant: no lost op. The store is the outbox: ops written while the relay is down (across a
 * restart of the core too) reach the others once it is back; a relay that lost its data (a wiped
 * folder: a new epoch) is re-seeded by its clients, and the cursor of the old epoch is dropped.
 */
import fs from 'node:fs';
import {
  closeCore,
  converged,
  entryTexts,
  openCore,
  relayAddress,
  startTestRelay,
  status,
  stopRelay,
  waitFor,
} from './sync-harness';
import { syncedIncident } from '../../../electron/core/sync/sync-store';

async function sharedPair() {
  const relay = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'Payments down', severity: 'P1' });
  const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  const bea = openCore(undefined, 'Bea');
  bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
  await converged(incidentId, ana, bea);
  return { relay, ana, bea, incidentId };
}

describe('a relay that goes away', () => {
  it('ops written while it is down are pending, and reach the others when it is back', async () => {
    const { relay, ana, bea, incidentId } = await sharedPair();
    await waitFor(() => status(ana, incidentId).state === 'live', 'Ana live');
    await stopRelay(relay);
    await waitFor(() => status(ana, incidentId).state !== 'live', 'Ana to notice the relay is gone');
    for (let i = 0; i < 5; i++) ana.call('timeline.add', { incidentId, text: `offline ${i}` });
    const offline = status(ana, incidentId);
    expect(offline.pendingOps).toBe(5);
    expect(offline.offlineSince).not.toBeNull();
    expect(['offline', 'connecting']).toContain(offline.state);

    const back = await startTestRelay(relay.dataDir, relay.port);
    expect(back.epoch).toBe(relay.epoch);
    await converged(incidentId, ana, bea);
    expect(entryTexts(bea, incidentId)).toEqual(['offline 0', 'offline 1', 'offline 2', 'offline 3', 'offline 4']);
    await waitFor(() => {
      const s = status(ana, incidentId);
      return s.state === 'live' && s.pendingOps === 0 && s.offlineSince === null;
    }, "Ana live again with nothing pending");
  });

  it('ops written offline reach the others after the core restarted before the relay came back', async () => {
    const { relay, ana: first, bea, incidentId } = await sharedPair();
    await stopRelay(relay);
    first.call('timeline.add', { incidentId, text: 'before restart' });
    const dir = first.dataDir;
    closeCore(first);
    const ana = openCore(dir);
    await ana.invoke('timeline.add', { incidentId, text: 'after restart' });
    expect(status(ana, incidentId).pendingOps).toBe(2);

    await startTestRelay(relay.dataDir, relay.port);
    await converged(incidentId, ana, bea);
    expect(entryTexts(bea, incidentId)).toEqual(['after restart', 'before restart']);
    await waitFor(() => status(ana, incidentId).pendingOps === 0, 'nothing pending');
  });

  it('a relay restarted on a wiped folder is re-seeded by its clients, and a newcomer gets everything', async () => {
    const { relay, ana, bea, incidentId } = await sharedPair();
    ana.call('timeline.add', { incidentId, text: 'from Ana' });
    await bea.invoke('timeline.add', { incidentId, text: 'from Bea' });
    await converged(incidentId, ana, bea);
    await waitFor(() => status(ana, incidentId).pendingOps === 0 && status(bea, incidentId).pendingOps === 0, 'both acknowledged');
    await stopRelay(relay);
    fs.rmSync(relay.dataDir, { recursive: true, force: true });

    const wiped = await startTestRelay(relay.dataDir, relay.port);
    expect(wiped.epoch).not.toBe(relay.epoch);
    await waitFor(() => syncedIncident(ana.context.db, incidentId)?.epoch === wiped.epoch, 'Ana to adopt the new epoch');
    await waitFor(() => syncedIncident(bea.context.db, incidentId)?.epoch === wiped.epoch, 'Bea to adopt the new epoch');
    await waitFor(() => status(ana, incidentId).pendingOps === 0 && status(bea, incidentId).pendingOps === 0, 'the new relay to hold everything again');

    const { readLink } = ana.call('incidents.links', { incidentId });
    const cy = openCore(undefined, 'Cy');
    cy.call('incidents.join', { link: readLink, name: 'Cy' });
    const state = await converged(incidentId, ana, bea, cy);
    expect(state.timeline.map((e) => e.text)).toEqual(expect.arrayContaining(['from Ana', 'from Bea']));
  });
});
