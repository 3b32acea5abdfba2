/**
 * DESIGN.md §5 "Restore, clones, equivocation". Invariants: no lost op and chains intact — a
 * device restored from an old copy of its data folder never signs a second op at a seq the relay
 * holds: with the relay reachable it downloads its own ops before writing; with the relay down it
 * writes at once and, when the rollback shows, moves those ops to a new identity. Two processes
 * with one identity end with one of them on a new identity. The relay never stores an equivocation.
 */
import { closeCore, converged, copyDataDir, entryTexts, openCore, relayAddress, relayEquivocations, restoreDataDir, startTestRelay, status, stopRelay, waitFor } from './sync-harness';

async function sharedPair() {
  const relay = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'Database failover', severity: 'P1' });
  const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  const bea = openCore(undefined, 'Bea');
  bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
  for (let i = 0; i < 3; i++) ana.call('timeline.add', { incidentId, text: `early ${i}` });
  await converged(incidentId, ana, bea);
  await waitFor(() => status(ana, incidentId).pendingOps === 0, 'the relay to hold all of Ana');
  return { relay, ana, bea, incidentId };
}

/** Closes `core`, copies its folder, reopens it and lets it write `later` more notes that reach the relay. */
async function backupThenWrite(core: ReturnType<typeof openCore>, incidentId: string, later: string[]) {
  const dir = core.dataDir;
  closeCore(core);
  const backup = copyDataDir(dir);
  const reopened = openCore(dir);
  for (const text of later) await reopened.invoke('timeline.add', { incidentId, text });
  await waitFor(() => status(reopened, incidentId).pendingOps === 0, 'the later notes to reach the relay');
  closeCore(reopened);
  return { dir, backup };
}

describe('a device restored from an old copy of its data folder', () => {
  it('with the relay reachable, downloads its own ops before its first write, and keeps its identity', async () => {
    const { relay, ana, bea, incidentId } = await sharedPair();
    const identity = ana.deviceId;
    const { dir, backup } = await backupThenWrite(ana, incidentId, ['later 0', 'later 1']);
    restoreDataDir(backup, dir);

    const restored = openCore(dir);
    await restored.invoke('timeline.add', { incidentId, text: 'after restore' });
    const state = await converged(incidentId, restored, bea);
    expect(state.timeline.map((e) => e.text)).toEqual(expect.arrayContaining(['later 0', 'later 1', 'after restore']));
    expect(restored.deviceId).toBe(identity);
    expect(status(restored, incidentId).alarms).toEqual([]);
    await waitFor(() => status(restored, incidentId).pendingOps === 0, 'nothing pending');
    expect(relayEquivocations(relay)).toBe(0);
  });

  it('with the relay down until after its writes, moves them to a new identity: nothing lost, nothing equivocates', async () => {
    const { relay, ana, bea, incidentId } = await sharedPair();
    const identity = ana.deviceId;
    const { dir, backup } = await backupThenWrite(ana, incidentId, ['later 0', 'later 1']);
    restoreDataDir(backup, dir);
    await stopRelay(relay);

    const restored = openCore(dir);
    await restored.invoke('timeline.add', { incidentId, text: 'written while down 0' });
    await restored.invoke('incidents.setField', { incidentId, field: 'summary', value: 'Replica lagging' });
    await restored.invoke('timeline.add', { incidentId, text: 'written while down 1' });
    expect(status(restored, incidentId).pendingOps).toBe(3);

    await startTestRelay(relay.dataDir, relay.port);
    const state = await converged(incidentId, restored, bea);
    expect(restored.deviceId).not.toBe(identity);
    expect(state.timeline.map((e) => e.text)).toEqual(
      expect.arrayContaining(['early 0', 'later 0', 'later 1', 'written while down 0', 'written while down 1']),
    );
    expect(state.incident.summary).toBe('Replica lagging');
    const movedBy = state.timeline.filter((e) => e.text.startsWith('written while down')).map((e) => e.device);
    expect(new Set(movedBy)).toEqual(new Set([restored.deviceId]));
    expect(status(restored, incidentId).alarms.join(' ')).toMatch(/re-signed as 3 new ops/);
    await waitFor(() => status(restored, incidentId).pendingOps === 0, 'nothing pending');
    expect(relayEquivocations(relay)).toBe(0);
  });
});

describe('two processes with one identity', () => {
  it('one switches to a new identity; every op of both reaches everyone; the relay holds no equivocation', async () => {
    const { relay, ana, bea, incidentId } = await sharedPair();
    const identity = ana.deviceId;
    const dir = ana.dataDir;
    closeCore(ana);
    const twin = openCore(copyDataDir(dir));
    const original = openCore(dir);
    expect(twin.deviceId).toBe(original.deviceId);

    for (let i = 0; i < 5; i++) {
      original.call('timeline.add', { incidentId, text: `original ${i}` });
      twin.call('timeline.add', { incidentId, text: `twin ${i}` });
    }
    await waitFor(() => original.deviceId !== twin.deviceId, 'one of them to switch identity');
    const state = await converged(incidentId, original, twin, bea);
    const texts = state.timeline.map((e) => e.text);
    for (let i = 0; i < 5; i++) expect(texts).toEqual(expect.arrayContaining([`original ${i}`, `twin ${i}`]));
    expect([original.deviceId, twin.deviceId]).toContain(identity);
    expect(relayEquivocations(relay)).toBe(0);
    expect(entryTexts(bea, incidentId)).toHaveLength(13);
  });
});
