/**
 * Evidence bundles in and out of the store (shared/evidence/bundle.ts for the format).
 *
 * Invariants:
 * - Export writes nothing; the bundle holds the incident's ops exactly as stored, public keys,
 *   certificates and signed checkpoints, never a private key or an incident secret.
 * - Import is a sync without a network: the bundle is verified whole (verify-bundle.ts) and every
 *   payload decrypted before anything is stored, then the original ops go through core.ingest in
 *   one transaction, all or nothing. A bundle that does not verify is refused ('invalid-bundle',
 *   every problem in details) and nothing of it is stored.
 * - An incident this machine holds no key for needs its join link ('missing-key' asks for it);
 *   the link must be of that incident, its secret must derive the bundle's authorities and open
 *   every op; only then is the secret kept, and it is dropped again if the ingest fails, so a
 *   refused import keeps no key either.
 */
import { SitrepError } from '../../shared/errors';
import { readBundle, writeBundle } from '../../shared/evidence/bundle';
import { BUNDLE_EXTENSION, type EvidenceExport, type EvidenceImport } from '../../shared/evidence/evidence-transfer';
import { verifyBundle, type BundleReport } from '../../shared/evidence/verify-bundle';
import { bytesToHex } from '../../shared/sync/bytes';
import { readerKeys, writerKeys } from '../../shared/sync/incident-keys';
import { JoinLinkError, parseJoinLink } from '../../shared/sync/join-link';
import { decodeOp, openOpPayload } from '../../shared/sync/op-envelope';
import { OpError } from '../../shared/sync/op-error';
import type { CoreContext } from './core-context';
import type { KeyStore } from './key-store';
import { incidentOps } from './op-log';
import { prepared } from './store/database';

/** How many problems an 'invalid-bundle' message spells out before "and N more". */
const PROBLEMS_IN_MESSAGE = 3;

/** What export needs: the store (read-only is enough), the device key that signs, and the clock. */
export type EvidenceSource = Pick<CoreContext, 'db' | 'crypto' | 'now' | 'deviceName'> & { keys: Pick<KeyStore, 'deviceKey' | 'deviceId'> };

export function exportEvidence(ctx: EvidenceSource, incidentId: string): EvidenceExport {
  const authority = prepared(ctx.db, 'SELECT write_authority_key, read_authority_key FROM incident_authority WHERE incident = ?').get(incidentId) as
    | { write_authority_key: Uint8Array; read_authority_key: Uint8Array }
    | undefined;
  if (!authority) throw new SitrepError('not-found', `incidentId: no incident ${incidentId} in this store`);
  const ops = incidentOps(ctx.db, incidentId);
  const bytes = writeBundle(ctx.crypto, {
    incidentId,
    writeAuthorityKey: authority.write_authority_key,
    readAuthorityKey: authority.read_authority_key,
    ops,
    exporter: { key: ctx.keys.deviceKey, deviceId: ctx.keys.deviceId, name: ctx.deviceName() },
    exportedAt: ctx.now(),
  });
  return { fileName: evidenceFileName(incidentId, ctx.now()), bundle: Buffer.from(bytes).toString('base64'), ops: ops.length };
}

/** "incident-<id>-<yyyymmddThhmmZ>.sitrep-evidence" */
export function evidenceFileName(incidentId: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `incident-${incidentId}-${stamp}Z${BUNDLE_EXTENSION}`;
}

/** Refuses a bundle that does not verify, with every problem in details. */
export function requireVerified(report: BundleReport): asserts report is BundleReport & { incidentId: string } {
  if (report.ok) return;
  const shown = report.problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => p.message);
  const more = report.problems.length - shown.length;
  throw new SitrepError(
    'invalid-bundle',
    `the evidence bundle does not verify, nothing of it was stored: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    report.problems.map((p) => `${p.code}: ${p.message}`),
  );
}

export function importEvidence(
  ctx: CoreContext,
  bytes: Uint8Array,
  link: string | undefined,
  ingest: (ops: readonly Uint8Array[]) => number,
): EvidenceImport {
  const report = verifyBundle(ctx.crypto, bytes);
  requireVerified(report);
  const incidentId = report.incidentId;
  const { manifest, ops } = readBundle(bytes);
  const envelopes = ops.map((op) => op.bytes);
  const keptLink = !ctx.incidentKeys(incidentId);
  if (keptLink) {
    if (link === undefined) {
      throw new SitrepError('missing-key', `this machine holds no key for incident ${incidentId}: give its join link (sitrep://join/…) to import the bundle`, [
        `link: required for incident ${incidentId}`,
      ]);
    }
    keepLinkSecret(ctx, incidentId, link, manifest.writeAuthorityKey, manifest.readAuthorityKey, envelopes);
  }
  let newOps: number;
  try {
    newOps = ingest(envelopes);
  } catch (error) {
    // The ingest rolled back; the secret kept for it goes too, so a refused import leaves nothing.
    if (keptLink) {
      ctx.keys.forgetIncidentSecret(incidentId);
      ctx.forgetIncidentKeys(incidentId);
    }
    throw error;
  }
  return { incidentId, ops: envelopes.length, newOps, writeAuthorityFingerprint: report.writeAuthority!.fingerprint };
}

/** Checks the link against the bundle and that it opens every op, then keeps its secret. */
function keepLinkSecret(
  ctx: CoreContext,
  incidentId: string,
  text: string,
  writeAuthorityKey: string,
  readAuthorityKey: string,
  envelopes: readonly Uint8Array[],
): void {
  const refuse = (why: string): never => {
    throw new SitrepError('invalid-argument', `link: ${why}`, [`link: ${why}`]);
  };
  let parsed;
  try {
    parsed = parseJoinLink(text);
  } catch (error) {
    if (error instanceof JoinLinkError) return refuse(error.message);
    throw error;
  }
  if (parsed.incidentId !== incidentId) refuse(`it is the link of incident ${parsed.incidentId}, the bundle is of incident ${incidentId}`);
  const keys = parsed.access === 'write' ? writerKeys(ctx.crypto, parsed.secret) : readerKeys(ctx.crypto, parsed.secret);
  // A write secret derives both authorities; a read secret only RA.
  const matches =
    bytesToHex(keys.readAuthority.publicKey) === readAuthorityKey &&
    (parsed.access === 'read' || bytesToHex(writerKeys(ctx.crypto, parsed.secret).writeAuthority.publicKey) === writeAuthorityKey);
  if (!matches) refuse('its secret is not the one of this incident');
  for (const bytes of envelopes) {
    try {
      openOpPayload(ctx.crypto, decodeOp(bytes), keys.contentKey);
    } catch (error) {
      if (error instanceof OpError) throw new SitrepError('invalid-bundle', `the evidence bundle does not verify, nothing of it was stored: ${error.message}`, [`${error.code}: ${error.message}`]);
      throw error;
    }
  }
  ctx.keys.putIncidentSecret(incidentId, parsed.access, parsed.secret);
  ctx.forgetIncidentKeys(incidentId);
}
