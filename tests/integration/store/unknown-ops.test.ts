import { nodeCrypto } from '../../../electron/crypto';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import { utf8Encode } from '../../../shared/sync/bytes';
import { issueCertificate, writerKeys } from '../../../shared/sync/incident-keys';
import { encodeOp, ZERO_HASH } from '../../../shared/sync/op-envelope';
import { testCore } from '../../support/cores';

describe('an op written by a newer Sitrep', () => {
  it('is stored, counted as needing a newer Sitrep, kept through a rebuild, and changes nothing shown', () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Disk full', severity: 'P2' });
    const before = replicatedIncident(core.context.db, incidentId);

    const secret = core.context.keys.incidentSecret(incidentId)!;
    const keys = writerKeys(nodeCrypto, secret.secret);
    const newerDevice = nodeCrypto.signingKeyFromSeed(nodeCrypto.randomBytes(32));
    const op = encodeOp(nodeCrypto, {
      type: 'op',
      incidentId,
      seq: 1,
      hlc: { ms: Date.now(), counter: 0 },
      prev: ZERO_HASH,
      clockOffsetMs: 0,
      devicePublicKey: newerDevice.publicKey,
      certificate: issueCertificate(keys.writeAuthority, newerDevice.publicKey, incidentId),
      payload: utf8Encode(JSON.stringify({ schema: 2, kind: 'incident.hologram', at: Date.now(), by: 'Future' })),
      contentKey: keys.contentKey,
      signer: newerDevice,
    });

    expect(core.ingest([op])).toBe(1);
    expect(core.call('incidents.get', { incidentId }).unknownOps).toBe(1);
    expect(replicatedIncident(core.context.db, incidentId)).toEqual(before);

    const report = core.rebuild();
    expect(report.unknown).toBe(1);
    expect(core.call('incidents.get', { incidentId }).unknownOps).toBe(1);
    const row = core.context.db.prepare("SELECT kind, applied FROM ops WHERE kind = 'incident.hologram'").get();
    expect(row).toEqual({ kind: 'incident.hologram', applied: 0 });
  });
});
