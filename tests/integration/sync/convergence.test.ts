/**
 * Invariant: identical state. Cores sharing an incident through a real relay converge to the same
 * replicated incident, whatever they wrote concurrently, after an offline spell, and with a
 * catch-up of ten thousand ops (no lost op, no double effect).
 */
import { closeCore, converged, entryTexts, openCore, relayAddress, startTestRelay, status, waitFor, writeManyNotes } from './sync-harness';

const OFFLINE_OPS = 10_000;
/** Writing, sending and catching up 10,000 ops: about half a minute here, minutes on a loaded machine. */
const LONG_WAIT_MS = 300_000;

describe('cores sharing an incident through a relay', () => {
  it('two cores converge: the joiner catches up, then both write live', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' });
    ana.call('timeline.add', { incidentId, text: 'Error rate 14%' });
    const links = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    expect(links.writeLink).toMatch(/^sitrep:\/\/join\/127\.0\.0\.1:\d+\//);
    expect(links.readLink).not.toBe(links.writeLink);

    const bea = openCore(undefined, 'Bea');
    bea.call('incidents.join', { link: links.writeLink!, name: 'Bea' });
    await waitFor(() => entryTexts(bea, incidentId).includes('Error rate 14%'), 'Bea to catch up');
    await bea.invoke('timeline.add', { incidentId, text: 'Paged DBA' });
    ana.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
    const state = await converged(incidentId, ana, bea);
    expect(state.incident.severity).toBe('P0');
    expect(state.timeline.map((e) => e.text)).toEqual(expect.arrayContaining(['Error rate 14%', 'Paged DBA']));
    await waitFor(() => status(ana, incidentId).state === 'live' && status(ana, incidentId).pendingOps === 0, 'Ana live with nothing pending');
    await waitFor(() => status(bea, incidentId).online.some((d) => d.name === 'Ana'), 'Bea to see Ana online');
  });

  it('three cores writing at once converge', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Login outage', severity: 'P2' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const others = ['Bea', 'Cy'].map((name) => {
      const core = openCore(undefined, name);
      core.call('incidents.join', { link: writeLink!, name });
      return core;
    });
    const all = [ana, ...others];
    await converged(incidentId, ...all);
    for (let round = 0; round < 20; round++) {
      for (const [i, core] of all.entries()) await core.invoke('timeline.add', { incidentId, text: `round ${round} from ${i}` });
    }
    for (const [i, core] of all.entries()) await core.invoke('incidents.setField', { incidentId, field: 'summary', value: `summary by ${i}` });
    const state = await converged(incidentId, ...all);
    expect(state.timeline.filter((e) => e.text.startsWith('round '))).toHaveLength(60);
    expect(state.roster.people.map((p) => p.name).sort()).toEqual(['Bea', 'Cy']);
  });

  it('a core offline while another writes 10,000 ops catches up when it is back', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Disk full', severity: 'P2' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    let bea = openCore(undefined, 'Bea');
    const beaDir = bea.dataDir;
    bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
    await converged(incidentId, ana, bea);
    closeCore(bea);

    writeManyNotes(ana, incidentId, 'note', OFFLINE_OPS);
    await waitFor(() => status(ana, incidentId).pendingOps === 0, "the relay to hold Ana's 10,000 ops", LONG_WAIT_MS);

    bea = openCore(beaDir);
    await waitFor(() => status(bea, incidentId).state === 'live', 'Bea live', LONG_WAIT_MS);
    const state = await converged(incidentId, ana, bea);
    const notes = state.timeline.filter((e) => e.text.startsWith('note ')).map((e) => e.text);
    expect(new Set(notes).size).toBe(OFFLINE_OPS);
    expect(status(bea, incidentId)).toMatchObject({ pendingOps: 0, catchingUp: null });
  }, 3 * LONG_WAIT_MS);
});
