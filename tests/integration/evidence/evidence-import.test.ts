/**
 * Export → import through the api on real stores: a bundle taken into an empty store with the
 * incident's link gives identical replicated state, same incident and same authors; without a key
 * the link is asked for; a wrong link, a tampered, truncated or other-version bundle and a chain
 * cut short are refused with the reason, and nothing of them is stored (no op, no key).
 */
import { readBundle } from '../../../shared/evidence/bundle';
import { formatJoinLink } from '../../../shared/sync/join-link';
import { decodeOp } from '../../../shared/sync/op-envelope';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import type { Core } from '../../../electron/core/core';
import { importEvidence } from '../../../electron/core/evidence';
import { SitrepError } from '../../../shared/errors';
import { expectRefused, opCount } from '../../support/api-expect';
import { opsOf, testCore } from '../../support/cores';
import { exportBundle, rebuildBundle, toBase64, twoDeviceIncident } from '../../support/evidence';

/** The link a person would paste: the relay address is never dialled by an import. */
function linkOf(core: Core, incidentId: string, access: 'write' | 'read'): string {
  const held = core.context.incidentKeys(incidentId)!;
  if (held.access !== 'write') throw new Error('the exporter holds the write secret in these tests');
  const secret = access === 'write' ? held.keys.writeSecret : held.keys.readSecret;
  return formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access, secret });
}

const importInto = (core: Core, bundle: Uint8Array, link?: string) => core.call('evidence.import', { bundle: toBase64(bundle), ...(link && { link }) });

describe('evidence export → import', () => {
  const { ana, bo, incidentId } = twoDeviceIncident();
  const bundle = exportBundle(ana.core, incidentId);

  it('into an empty store, given the write link, gives identical replicated state with the original ops and authors', () => {
    const { core } = testCore({ name: 'Auditor' });
    const result = importInto(core, bundle, linkOf(ana.core, incidentId, 'write'));
    expect(result).toMatchObject({ incidentId, ops: opsOf(ana.core, incidentId).length, newOps: opsOf(ana.core, incidentId).length });
    expect(replicatedIncident(core.context.db, incidentId)).toEqual(replicatedIncident(ana.core.context.db, incidentId));
    expect(opsOf(core, incidentId).map((op) => Buffer.from(op).toString('hex'))).toEqual(opsOf(ana.core, incidentId).map((op) => Buffer.from(op).toString('hex')));
    const authors = new Set(opsOf(core, incidentId).map((op) => decodeOp(op).header.deviceId));
    expect(authors).toEqual(new Set([...opsOf(ana.core, incidentId)].map((op) => decodeOp(op).header.deviceId)));
    expect(authors.has(core.deviceId)).toBe(false);
    // With the write link the importer is a writer of the same incident.
    core.call('timeline.add', { incidentId, text: 'Read the bundle from the USB stick' });
    expect(core.call('incidents.get', { incidentId })).toMatchObject({ access: 'write', state: { title: 'Checkout failing, "again"' } });
  });

  it('with a read link gives the same state, read only', () => {
    const { core } = testCore();
    importInto(core, bundle, linkOf(ana.core, incidentId, 'read'));
    expect(replicatedIncident(core.context.db, incidentId)).toEqual(replicatedIncident(ana.core.context.db, incidentId));
    expect(core.context.incidentKeys(incidentId)?.access).toBe('read');
  });

  it('asks for the link when this machine holds no key, storing nothing', () => {
    const { core } = testCore();
    const error = expectRefused(core, () => importInto(core, bundle), 'missing-key', `link: required for incident ${incidentId}`);
    expect(error.message).toContain('join link');
    expect(core.context.keys.incidentSecret(incidentId)).toBeUndefined();
  });

  it("refuses another incident's link, or a mistyped one, storing nothing and keeping no key", () => {
    const other = twoDeviceIncident();
    const { core } = testCore();
    expectRefused(core, () => importInto(core, bundle, linkOf(other.ana.core, other.incidentId, 'write')), 'invalid-argument', /^link: it is the link of incident/);
    const forged = formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access: 'write', secret: new Uint8Array(32).fill(7) });
    expectRefused(core, () => importInto(core, bundle, forged), 'invalid-argument', 'link: its secret is not the one of this incident');
    expectRefused(core, () => importInto(core, bundle, 'sitrep://join/relay:1/x#AAAA'), 'invalid-argument', /^link: /);
    expect(core.context.keys.incidentSecret(incidentId)).toBeUndefined();
  });

  it('drops the link\'s secret again when the ingest after it fails, so a refused import keeps no key', () => {
    const { core } = testCore();
    const failing = () => {
      throw new SitrepError('op-rejected', 'op refused (bad-chain): the store refused it');
    };
    expect(() => importEvidence(core.context, bundle, linkOf(ana.core, incidentId, 'write'), failing)).toThrow('the store refused it');
    expect(core.context.keys.incidentSecret(incidentId)).toBeUndefined();
    expect(core.context.incidentKeys(incidentId)).toBeUndefined();
  });

  it('into a store that holds part of the incident takes only what it lacks', () => {
    const before = opCount(bo.core);
    const lacking = opsOf(ana.core, incidentId).length - opsOf(bo.core, incidentId).length;
    expect(lacking).toBeGreaterThan(0);
    const result = importInto(bo.core, bundle);
    expect(result.newOps).toBe(lacking);
    expect(opCount(bo.core)).toBe(before + result.newOps);
    expect(replicatedIncident(bo.core.context.db, incidentId)).toEqual(replicatedIncident(ana.core.context.db, incidentId));
    expect(importInto(bo.core, bundle).newOps).toBe(0);
  });

  it('refuses tampered bytes in every region of the bundle, with the reason, storing nothing', () => {
    const { core } = testCore();
    const parsed = readBundle(bundle);
    const positions = {
      magic: 0,
      version: 9,
      manifestLength: 12,
      manifest: 40,
      manifestSignature: parsed.manifestSignatureOffset + 3,
      opLength: parsed.ops[2].offset - 2,
      opBytes: parsed.ops[2].offset + 100,
      lastCheckpoint: bundle.length - 30,
    };
    for (const [region, at] of Object.entries(positions)) {
      const tampered = bundle.slice();
      tampered[at] ^= 0x10;
      const error = expectRefused(core, () => importInto(core, tampered, linkOf(ana.core, incidentId, 'write')), 'invalid-bundle');
      expect(error.details.length, region).toBeGreaterThan(0);
      expect(error.message, region).toContain('nothing of it was stored');
      expect(core.context.keys.incidentSecret(incidentId), region).toBeUndefined();
    }
  });

  it('refuses a truncated file and another version, saying so', () => {
    const { core } = testCore();
    const link = linkOf(ana.core, incidentId, 'write');
    expectRefused(core, () => importInto(core, bundle.subarray(0, bundle.length - 1), link), 'invalid-bundle', /^truncated: bundle truncated: checkpoint 3 of 3 needs 120 bytes/);
    const other = bundle.slice();
    other[9] = 7;
    expectRefused(core, () => importInto(core, other, link), 'invalid-bundle', /^other-version: bundle format version 7/);
  });

  it("refuses a bundle with a device's last ops cut off, caught by the checkpoints", () => {
    const { core } = testCore();
    const boDevice = bo.core.deviceId;
    const ops = readBundle(bundle).ops.map((op) => decodeOp(op.bytes).header);
    const boLast = ops.filter((h) => h.deviceId === boDevice).map((h) => h.seq);
    const cutFrom = boLast.at(-1)! - 1;
    const cut = rebuildBundle(bundle, { keepOp: (op) => !(decodeOp(op).header.deviceId === boDevice && decodeOp(op).header.seq >= cutFrom), resign: ana.core.context.keys.deviceKey });
    const error = expectRefused(core, () => importInto(core, cut, linkOf(ana.core, incidentId, 'write')), 'invalid-bundle');
    expect(error.details).toEqual([expect.stringMatching(new RegExp(`^checkpoint-mismatch: checkpoint of device ${boDevice} .*2 ops cut off \\(seqs ${cutFrom}\\.\\.${cutFrom + 1}\\)`))]);
  });
});
