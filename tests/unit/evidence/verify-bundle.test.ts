/**
 * verifyBundle on a small hand-made bundle (shared/evidence/verify-bundle.ts): a good bundle's
 * report, every byte flipped caught with a reason, every truncation and another version refused,
 * a cut-off chain caught by its checkpoint even under a re-signed manifest, and no secret needed.
 */
import { nodeCrypto } from '../../../electron/crypto';
import { BUNDLE_MAGIC, readBundle } from '../../../shared/evidence/bundle';
import { verifyBundle, type BundleReport } from '../../../shared/evidence/verify-bundle';
import type { SyncCrypto } from '../../../shared/sync/crypto';
import { decodeOp } from '../../../shared/sync/op-envelope';
import { rebuildBundle, smallBundle, SMALL_INCIDENT } from '../../support/evidence';

const c = nodeCrypto;
const codes = (report: BundleReport) => report.problems.map((p) => p.code);

/** A crypto that refuses everything a secret is needed for: verification must never reach for it. */
const withoutSecrets: SyncCrypto = {
  ...nodeCrypto,
  hkdf: () => {
    throw new Error('verification asked for a key derivation');
  },
  signingKeyFromSeed: () => {
    throw new Error('verification asked for a signing key');
  },
  seal: () => {
    throw new Error('verification asked to encrypt');
  },
  open: () => {
    throw new Error('verification asked to decrypt');
  },
};

describe('an evidence bundle', () => {
  const { bytes, exporter } = smallBundle();

  it('verifies with no secret at all, reporting the write authority, the exporter and each device', () => {
    const report = verifyBundle(withoutSecrets, bytes);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.incidentId).toBe(SMALL_INCIDENT);
    expect(report.writeAuthority!.fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expect(report.exporter).toMatchObject({ name: 'Ana laptop', isWriter: true });
    expect(report.devices.map((d) => [d.role, d.ops, d.lastSeq, d.name])).toEqual([
      ['write-authority', 1, 1, null],
      ['writer', 3, 3, 'Ana laptop'],
      ['writer', 2, 2, null],
    ]);
    expect(report.opCount).toBe(6);
  });

  it('holds no secret: no incident secret, content key or private key appears in it', () => {
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.startsWith(BUNDLE_MAGIC)).toBe(true);
    const manifest = readBundle(bytes).manifest;
    expect(Object.keys(manifest).sort()).toEqual(['contentHash', 'counts', 'exportedAt', 'exporter', 'format', 'incidentId', 'readAuthorityKey', 'version', 'writeAuthorityKey']);
    expect(Object.keys(manifest.exporter).sort()).toEqual(['deviceId', 'name', 'publicKey']);
  });

  it('catches every single byte flipped, each with a reason', () => {
    const uncaught: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const tampered = bytes.slice();
      tampered[i] ^= 0xff;
      const report = verifyBundle(c, tampered);
      if (report.ok || report.problems.some((p) => p.message.length < 20)) uncaught.push(i);
    }
    expect(uncaught).toEqual([]);
  });

  it('names the op, device and seq a flipped op byte is in', () => {
    const { ops } = readBundle(bytes);
    const target = ops[3];
    const { deviceId, seq } = decodeOp(target.bytes).header;
    const tampered = bytes.slice();
    tampered[target.offset + target.bytes.length - 10] ^= 0x01;
    const report = verifyBundle(c, tampered);
    expect(codes(report)).toEqual(expect.arrayContaining(['content-hash-mismatch', 'bad-op']));
    expect(report.problems.find((p) => p.code === 'bad-op')).toMatchObject({ device: deviceId, seq, opError: 'bad-signature', offset: target.offset });
  });

  it('refuses every truncation, saying it is truncated and where', () => {
    for (let length = 0; length < bytes.length; length++) {
      const report = verifyBundle(c, bytes.subarray(0, length));
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ code: 'truncated', message: expect.stringContaining('truncated') })]);
    }
  });

  it('refuses another format version before reading further', () => {
    const other = bytes.slice();
    other[9] = 2;
    const report = verifyBundle(c, other);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'other-version', message: expect.stringContaining('version 2') })]);
    expect(verifyBundle(c, new TextEncoder().encode('PK\u0003\u0004 a zip file')).problems[0].code).toBe('not-a-bundle');
  });

  it("catches a device's last ops cut off by its checkpoint, even with the manifest re-signed to match", () => {
    const { ops } = readBundle(bytes);
    const anaDevice = decodeOp(ops[1].bytes).header.deviceId;
    const lastOfAna = ops.length - 1;
    const cut = rebuildBundle(bytes, { keepOp: (_, i) => i !== lastOfAna, resign: exporter });
    const report = verifyBundle(c, cut);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'checkpoint-mismatch', device: anaDevice, seq: 3, message: expect.stringContaining('1 op cut off (seqs 3..3)') }),
    ]);
    expect(report.devices.find((d) => d.deviceId === anaDevice)).toMatchObject({ ops: 2, lastSeq: 2 });
  });

  it('catches an op taken out of the middle as a gap naming the missing seqs', () => {
    const cut = rebuildBundle(bytes, { keepOp: (_, i) => i !== 1, resign: exporter });
    const report = verifyBundle(c, cut);
    expect(report.problems[0]).toMatchObject({ code: 'gap', seq: 2, message: expect.stringContaining('seqs 1..1 are missing') });
  });

  it('catches a checkpoint removed, and ops cut without re-signing by the content hash', () => {
    expect(codes(verifyBundle(c, rebuildBundle(bytes, { keepCheckpoint: () => false, resign: exporter })))).toEqual(
      expect.arrayContaining(['missing-checkpoint']),
    );
    expect(codes(verifyBundle(c, rebuildBundle(bytes, { keepOp: (_, i) => i < 5 })))).toEqual(
      expect.arrayContaining(['content-hash-mismatch', 'checkpoint-mismatch', 'count-mismatch']),
    );
  });
});
