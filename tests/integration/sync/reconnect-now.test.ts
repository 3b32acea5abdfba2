/**
 * Early reconnect on resume (sync.reconnect): when the machine wakes or its network comes back,
 * every relay connection dials again at once, with its backoff started over, instead of waiting
 * out a delay chosen while it was away. Real cores and a real relay on 127.0.0.1.
 */
import { converged, entryTexts, openCore, relayAddress, startTestRelay, status, stopRelay, waitFor } from './sync-harness';

/**
 * Backoff so long that, without sync.reconnect, the console would sit offline for the whole test
 * (each retry waits a random time up to an hour: a retry inside the test's few seconds is a
 * one-in-a-thousand chance, and then the test passes for the wrong reason, never fails wrongly).
 */
const ASLEEP = { backoffBaseMs: 3_600_000, backoffCapMs: 3_600_000, healthyAfterMs: 3_600_000 };

describe('reconnecting at once', () => {
  it('a console waiting out a long backoff is live again as soon as it is told the machine woke', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana', { sync: ASLEEP });
    const { incidentId } = ana.call('incidents.declare', { title: 'Laptop slept through the outage', severity: 'P2' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const bea = openCore(undefined, 'Bea');
    bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
    await converged(incidentId, ana, bea);
    await waitFor(() => status(ana, incidentId).state === 'live', 'Ana live');

    await stopRelay(relay);
    await waitFor(() => status(ana, incidentId).state === 'offline', 'Ana to wait out her backoff');
    ana.call('timeline.add', { incidentId, text: 'written while asleep' });
    const back = await startTestRelay(relay.dataDir, relay.port);
    await bea.invoke('timeline.add', { incidentId, text: 'written while Ana slept' });

    expect(ana.call('sync.reconnect', {})).toEqual({ reconnecting: 1 });
    await waitFor(() => status(ana, incidentId).state === 'live', 'Ana live again at once');
    await converged(incidentId, ana, bea);
    expect(entryTexts(bea, incidentId)).toEqual(['written while Ana slept', 'written while asleep']);
    await waitFor(() => status(ana, incidentId).pendingOps === 0, 'nothing pending');
    await stopRelay(back);
  });

  it('replaces a connection that looks live with a fresh one, which catches up from the cursor', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana', { sync: ASLEEP });
    const { incidentId } = ana.call('incidents.declare', { title: 'Wi-Fi roamed', severity: 'P3' });
    ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    await waitFor(() => status(ana, incidentId).state === 'live', 'Ana live');

    const seen: string[] = [];
    const stop = ana.subscribe((event) => {
      if (event.type === 'sync-changed') seen.push(status(ana, incidentId).state);
    });
    expect(ana.call('sync.reconnect', {})).toEqual({ reconnecting: 1 });
    await waitFor(() => seen.includes('connecting') && status(ana, incidentId).state === 'live', 'a fresh connection, live');
    stop();
    ana.call('timeline.add', { incidentId, text: 'after the new connection' });
    await waitFor(() => status(ana, incidentId).pendingOps === 0, 'the relay to hold it');
  });

  it('with nothing shared, there is nothing to reconnect', () => {
    const ana = openCore(undefined, 'Ana');
    ana.call('incidents.declare', { title: 'Local only', severity: 'P3' });
    expect(ana.call('sync.reconnect', {})).toEqual({ reconnecting: 0 });
  });
});
