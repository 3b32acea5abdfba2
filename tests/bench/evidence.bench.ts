/**
 * Evidence bundles of a large incident beside their ceiling in the same run (DESIGN.md §8):
 * exporting, verifying (every signature, certificate, chain and checkpoint) and importing into an
 * empty store, against the bare cost of one Ed25519 verification per op, which verification cannot
 * go below.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core/core';
import { incidentOps } from '../../electron/core/op-log';
import { nodeCrypto } from '../../electron/crypto';
import { readBundle } from '../../shared/evidence/bundle';
import { verifyBundle } from '../../shared/evidence/verify-bundle';
import { formatJoinLink } from '../../shared/sync/join-link';
import { decodeOp } from '../../shared/sync/op-envelope';
import { fmt, time } from './stats';

export interface EvidenceResult {
  ops: number;
  bundleBytes: number;
  exportMs: number;
  verifyMs: number;
  rawVerifyMs: number;
  importMs: number;
}

const FILL_BATCH = 1_000;

export function benchEvidence(entries: number, log: (line: string) => void): EvidenceResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-'));
  try {
    const source = createCore({ dataDir: path.join(dir, 'source'), sync: false });
    const { incidentId } = source.call('incidents.declare', { title: 'Bench', severity: 'P1' });
    const fillBatch = source.context.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) source.call('timeline.add', { incidentId, text: `entry ${i} on host web-${i % 97}` });
    });
    for (let i = 0; i < entries; i += FILL_BATCH) fillBatch(i, Math.min(entries, i + FILL_BATCH));
    const ops = incidentOps(source.context.db, incidentId).length;
    log(`  evidence: incident of ${ops} ops written`);

    const exported = time(() => source.call('evidence.export', { incidentId }));
    const bytes = new Uint8Array(Buffer.from(exported.value.bundle, 'base64'));
    const verified = time(() => verifyBundle(nodeCrypto, bytes));
    if (!verified.value.ok) throw new Error(`bench: the bundle does not verify: ${verified.value.problems[0]?.message}`);
    const decoded = readBundle(bytes).ops.map((op) => decodeOp(op.bytes));
    const keys = new Map(decoded.filter((op) => op.header.devicePublicKey).map((op) => [op.header.deviceId, op.header.devicePublicKey!]));
    const rawVerify = time(() => decoded.filter((op) => nodeCrypto.verify(keys.get(op.header.deviceId)!, op.signedBytes, op.signature)).length);
    if (rawVerify.value !== ops) throw new Error(`bench: ${ops - rawVerify.value} signatures did not verify`);

    const held = source.context.incidentKeys(incidentId)!;
    const link = formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access: 'read', secret: held.keys.readSecret });
    source.close();
    const target = createCore({ dataDir: path.join(dir, 'target'), sync: false });
    const imported = time(() => target.call('evidence.import', { bundle: exported.value.bundle, link }));
    target.close();
    if (imported.value.newOps !== ops) throw new Error(`bench: imported ${imported.value.newOps} of ${ops} ops`);
    return { ops, bundleBytes: bytes.length, exportMs: exported.ms, verifyMs: verified.ms, rawVerifyMs: rawVerify.ms, importMs: imported.ms };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function reportEvidence(r: EvidenceResult): string[] {
  const perSecond = (ms: number) => Math.round((r.ops / ms) * 1000).toLocaleString('en');
  return [
    `evidence bundle of ${r.ops} ops (${(r.bundleBytes / 1024 / 1024).toFixed(1)} MiB)`,
    `  export  ${fmt(r.exportMs)}`,
    `  verify  ${fmt(r.verifyMs)} (${perSecond(r.verifyMs)} ops/s); ceiling, one bare Ed25519 verify per op: ${fmt(r.rawVerifyMs)} (${perSecond(r.rawVerifyMs)} ops/s); ratio ${(r.verifyMs / r.rawVerifyMs).toFixed(2)}×`,
    `  import into an empty store (verify, decrypt, store, materialise) ${fmt(r.importMs)} (${perSecond(r.importMs)} ops/s)`,
  ];
}
