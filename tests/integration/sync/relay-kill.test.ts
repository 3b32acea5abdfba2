/**
 * Real processes on 127.0.0.1 (issue 5, "Integration with real processes"): a `sitrep relay`
 * process and three teammates' consoles, each a full core in its own process. All three write
 * while the relay is killed with SIGKILL mid-stream and restarted on the same folder and port.
 *
 * Invariants: no acknowledged op missing (everything a console recorded as held by the relay is in
 * the killed relay's database); identical replicated state on every console; every op written is
 * there, once; every chain intact, on the consoles and on the relay.
 */
import fs from 'node:fs';
import { FAST_SYNC } from './sync-harness';
import { killRelayProcess, readRelayDb, relayDeviceHeads, startRelayProcess, stopRelayProcess } from '../../support/relay-process';
import { eventually, peersConverged, startPeer, type Peer } from '../../support/sync-peers';
import { tempDir } from '../../support/temp-dir';

/** Enough that each console is still writing when the relay dies. */
const NOTES_EACH = 300;
/** The relay dies once it acknowledged this many of every console's ops. */
const ACKED_BEFORE_KILL = 20;

const ownAcked = async (peer: Peer, incidentId: string) => (await peer.ask<Record<string, number>>({ type: 'relay-heads', incidentId }))[peer.deviceId] ?? 0;

test('three consoles writing through a relay killed with SIGKILL mid-stream and restarted converge, with no acknowledged op lost', async () => {
  const relayDir = tempDir('sitrep-relay-kill-');
  const first = await startRelayProcess(relayDir);
  const relay = `127.0.0.1:${first.port}`;

  const [ana, bea, cy] = await Promise.all(['Ana', 'Bea', 'Cy'].map((name) => startPeer(name, FAST_SYNC)));
  const peers = [ana, bea, cy];
  const { incidentId } = await ana.invoke('incidents.declare', { title: 'Storage array degraded', severity: 'P1' });
  const { writeLink } = await ana.invoke('incidents.share', { incidentId, relay });
  await bea.invoke('incidents.join', { link: writeLink!, name: 'Bea' });
  await cy.invoke('incidents.join', { link: writeLink!, name: 'Cy' });
  await peersConverged(incidentId, peers);

  const writing = peers.map((peer) => peer.ask<number>({ type: 'write-notes', incidentId, prefix: `note from ${peer.name}`, count: NOTES_EACH }));
  // Awaited below; a process ended early (a failed test) is reported there, not as an unhandled rejection.
  for (const w of writing) w.catch(() => undefined);
  await eventually(async () => {
    const acked = await Promise.all(peers.map((peer) => ownAcked(peer, incidentId)));
    return acked.every((n) => n >= ACKED_BEFORE_KILL);
  }, 'the relay to acknowledge some of every console');
  await killRelayProcess(first);

  // What each console saw acknowledged before the kill, against what the killed relay's files hold.
  const acked = Object.fromEntries(await Promise.all(peers.map(async (peer) => [peer.deviceId, await ownAcked(peer, incidentId)] as const)));
  const ownSeqAtKill = await Promise.all(peers.map((peer) => peer.ask<number>({ type: 'own-seq', incidentId })));
  const afterKill = tempDir('sitrep-relay-killed-copy-');
  fs.cpSync(relayDir, afterKill, { recursive: true });
  const held = relayDeviceHeads(afterKill, incidentId);
  for (const peer of peers) expect(held[peer.deviceId] ?? 0, `${peer.name}'s acknowledged ops on the killed relay`).toBeGreaterThanOrEqual(acked[peer.deviceId]);

  const second = await startRelayProcess(relayDir, first.port);
  expect(second.epoch).toBe(first.epoch);
  expect(await Promise.all(writing)).toEqual([NOTES_EACH, NOTES_EACH, NOTES_EACH]);

  const state = await peersConverged(incidentId, peers);
  for (const peer of peers) {
    const notes = state.timeline.filter((e) => e.text.startsWith(`note from ${peer.name} `)).map((e) => e.text);
    expect(new Set(notes).size, `${peer.name}'s notes, each once`).toBe(NOTES_EACH);
    expect(notes).toHaveLength(NOTES_EACH);
    expect(await peer.ask<string[]>({ type: 'chain-problems', incidentId })).toEqual([]);
  }
  // The relay ends up holding every console's whole chain, intact.
  const ownSeqs = await Promise.all(peers.map((peer) => peer.ask<number>({ type: 'own-seq', incidentId })));
  expect(ownSeqs.some((seq, i) => seq > ownSeqAtKill[i]), 'a console still writing when the relay died').toBe(true);
  await eventually(async () => {
    const heads = relayDeviceHeads(relayDir, incidentId);
    return peers.every((peer, i) => heads[peer.deviceId] === ownSeqs[i]);
  }, 'the relay to hold every op');
  const relayChainsOk = readRelayDb(relayDir, (db) => {
    const rows = db.prepare('SELECT device, seq FROM ops WHERE incident = ? ORDER BY device, seq').all(incidentId) as { device: string; seq: number }[];
    const seqs = new Map<string, number[]>();
    for (const row of rows) seqs.set(row.device, [...(seqs.get(row.device) ?? []), row.seq]);
    return [...seqs.values()].every((list) => list.every((seq, i) => seq === i + 1));
  });
  expect(relayChainsOk).toBe(true);

  await Promise.all(peers.map((peer) => peer.stop()));
  await stopRelayProcess(second);
}, 300_000);
