/**
 * A teammate's console as its own process, for tests with real processes (started by
 * tests/support/sync-peers.ts through tsx): a full core on its own data folder, with short sync
 * timings, driven over the IPC channel. Not a test file itself.
 *
 * Protocol: the parent sends `{ id, request }`; the child answers `{ id, ok, value | error }`. The
 * first message the child sends is `{ ready: deviceId }`. The parent closing the channel closes the
 * core (releasing its writer lock) and ends the process.
 */
import { createCore } from '../../electron/core/core';
import { replicatedIncident } from '../../electron/core/queries/replicated-state';
import { relayHeads } from '../../electron/core/sync/sync-store';
import { prepared } from '../../electron/core/store/database';
import { equalBytes } from '../../shared/sync/bytes';
import { decodeOp, opHash, ZERO_HASH } from '../../shared/sync/op-envelope';
import { nodeCrypto } from '../../electron/crypto';
import type { PeerRequest } from './sync-peer-protocol';

const [dataDir, name, timingsJson] = process.argv.slice(2);
const core = createCore({ dataDir, sync: JSON.parse(timingsJson) });
core.call('device.setName', { name });

/** Per device: seqs 1..n with no gap, each stored hash the hash of its bytes, each prev the hash before, the head the last. */
function chainProblems(incidentId: string): string[] {
  const db = core.context.db;
  const rows = prepared(db, 'SELECT device, seq, hash, envelope FROM ops WHERE incident = ? ORDER BY device, seq').all(incidentId) as {
    device: string;
    seq: number;
    hash: Uint8Array;
    envelope: Uint8Array;
  }[];
  const heads = new Map(
    (prepared(db, 'SELECT device, head_seq, head_hash FROM devices WHERE incident = ?').all(incidentId) as { device: string; head_seq: number; head_hash: Uint8Array }[]).map(
      (h) => [h.device, h],
    ),
  );
  const problems: string[] = [];
  let device = '';
  let prev = ZERO_HASH;
  let expected = 1;
  const closeChain = () => {
    if (!device) return;
    const head = heads.get(device);
    if (!head || head.head_seq !== expected - 1 || !equalBytes(head.head_hash, prev)) problems.push(`${device}: head is not the last op of its chain`);
  };
  for (const row of rows) {
    if (row.device !== device) {
      closeChain();
      device = row.device;
      prev = ZERO_HASH;
      expected = 1;
    }
    const header = decodeOp(row.envelope).header;
    if (row.seq !== expected || header.seq !== row.seq || header.deviceId !== device) problems.push(`${device}:${row.seq}: expected seq ${expected}`);
    if (!equalBytes(opHash(nodeCrypto, row.envelope), row.hash)) problems.push(`${device}:${row.seq}: stored hash is not its bytes' hash`);
    if (!equalBytes(header.prev, prev)) problems.push(`${device}:${row.seq}: prev does not link to the op before`);
    prev = row.hash;
    expected = row.seq + 1;
  }
  closeChain();
  return problems;
}

/** Writes `count` notes one command at a time, yielding between them so sync keeps running. */
async function writeNotes(incidentId: string, prefix: string, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    await core.invoke('timeline.add', { incidentId, text: `${prefix} ${i}` });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return count;
}

async function answer(request: PeerRequest): Promise<unknown> {
  switch (request.type) {
    case 'invoke':
      return core.invoke(request.method, request.args as never);
    case 'write-notes':
      return writeNotes(request.incidentId, request.prefix, request.count);
    case 'replicated':
      return JSON.stringify(replicatedIncident(core.context.db, request.incidentId));
    case 'chain-problems':
      return chainProblems(request.incidentId);
    case 'relay-heads':
      return Object.fromEntries(relayHeads(core.context.db, request.incidentId));
    case 'own-seq':
      return (
        (prepared(core.context.db, 'SELECT head_seq FROM devices WHERE incident = ? AND device = ?').get(request.incidentId, core.deviceId) as
          | { head_seq: number }
          | undefined)?.head_seq ?? 0
      );
  }
}

process.on('message', (message: { id: number; request: PeerRequest }) => {
  answer(message.request).then(
    (value) => process.send!({ id: message.id, ok: true, value }),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
process.on('disconnect', () => {
  core.close();
  process.exit(0);
});
process.send!({ ready: core.deviceId });
