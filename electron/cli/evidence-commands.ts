/**
 * `sitrep verify`, `sitrep export-evidence` and `sitrep import`: evidence bundles from the command
 * line (shared/evidence/bundle.ts for the format).
 *
 * Invariants: verify needs no data folder and no secret, prints the write-authority fingerprint and
 * each device, and exits 1 saying exactly what is wrong; export-evidence reads the store read-only
 * (beside a running console or not) and writes the bundle atomically (a temp file renamed into
 * place, so a failed write leaves no half file); import takes the writer lock and is all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SitrepError } from '../../shared/errors';
import { verifyBundle, type BundleReport } from '../../shared/evidence/verify-bundle';
import { nodeCrypto } from '../crypto';
import { createCore, DATABASE_FILE } from '../core/core';
import { DEFAULT_DEVICE_NAME } from '../core/core-context';
import { resolveDataDir } from '../core/data-dir';
import { writeFileAtomically } from '../core/atomic-file';
import { exportEvidence } from '../core/evidence';
import { KEY_STORE_FILE, openKeyStore, plainFileProtector } from '../core/key-store';
import { openDatabase, prepared } from '../core/store/database';

export const EVIDENCE_USAGE = `  verify FILE                check an evidence bundle offline: prints the write-authority fingerprint and
                             each device, or exactly what is wrong (exit 1); needs no data folder or key
  export-evidence INCIDENT --out FILE [--data-dir DIR]
                             write the incident's evidence bundle (signed ops, keys, checkpoints)
  import FILE [--link LINK] [--data-dir DIR]
                             take in a bundle's ops, verified first (takes the writer lock); an incident
                             this machine holds no key for needs its sitrep://join/… link`;

/** Owner read/write: a bundle holds ciphertext only, but it is still an incident's record. */
const BUNDLE_FILE_MODE = 0o600;

export function verify(argv: string[]): number {
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const file = onePositional(positionals, 'FILE');
  const report = verifyBundle(nodeCrypto, readInput(file));
  for (const line of describeReport(file, report)) console.log(line);
  return report.ok ? 0 : 1;
}

export function exportEvidenceCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const incidentId = onePositional(positionals, 'INCIDENT');
  if (!values.out) throw new TypeError('--out FILE: required, where to write the bundle');
  const dataDir = resolveDataDir(values['data-dir']);
  if (!fs.existsSync(path.join(dataDir, KEY_STORE_FILE))) {
    throw new SitrepError('not-found', `${dataDir} holds no device key (${KEY_STORE_FILE}): it is not a Sitrep data folder`);
  }
  // Read-only: the writer lock stays with a running console; the key store is only read.
  const db = openDatabase(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const keys = openKeyStore(dataDir, plainFileProtector, Date.now);
    const exported = exportEvidence(
      {
        db,
        crypto: nodeCrypto,
        now: Date.now,
        keys,
        deviceName: () =>
          (prepared(db, "SELECT value FROM settings WHERE key = 'device.name'").get() as { value: string } | undefined)?.value ?? DEFAULT_DEVICE_NAME,
      },
      incidentId,
    );
    writeAtomically(values.out, Buffer.from(exported.bundle, 'base64'));
    console.log(`wrote ${path.resolve(values.out)}: ${exported.ops} ops of incident ${incidentId}`);
  } finally {
    db.close();
  }
}

export function importCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { link: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = onePositional(positionals, 'FILE');
  const bundle = readInput(file).toString('base64');
  // A one-shot tool: it must not dial the relays of shared incidents.
  const core = createCore({ dataDir: resolveDataDir(values['data-dir']), sync: false });
  try {
    const result = core.call('evidence.import', { bundle, ...(values.link !== undefined && { link: values.link }) });
    console.log(`imported ${file} into ${core.dataDir}: incident ${result.incidentId}, ${result.ops} ops, ${result.newOps} new`);
    console.log(`write authority ${result.writeAuthorityFingerprint}`);
  } catch (error) {
    if (error instanceof SitrepError && error.code === 'missing-key') {
      throw new SitrepError('missing-key', `${error.message}; pass it with --link`);
    }
    throw error;
  } finally {
    core.close();
  }
}

/** The lines `sitrep verify` prints. */
export function describeReport(file: string, report: BundleReport): string[] {
  const lines = [`${file}: ${report.ok ? 'verified' : 'DOES NOT VERIFY'}`];
  if (report.incidentId) lines.push(`incident          ${report.incidentId}`);
  if (report.writeAuthority) lines.push(`write authority   ${report.writeAuthority.fingerprint}`);
  if (report.exporter) {
    const { name, deviceId, exportedAt, isWriter } = report.exporter;
    lines.push(`exported by       ${name} (device ${deviceId}${isWriter ? '' : ', not a writer of this incident'}) at ${new Date(exportedAt).toISOString()}`);
  }
  if (report.devices.length) {
    lines.push(`devices (${report.devices.length}), ${report.opCount} ops:`);
    for (const d of report.devices) lines.push(`  ${d.deviceId}  ${d.role.padEnd(15)}  seq 1..${d.lastSeq}  ${d.ops} op${d.ops === 1 ? '' : 's'}${d.name ? `  ${d.name}` : ''}`);
  }
  if (!report.ok) {
    lines.push(`problems (${report.problems.length}):`);
    for (const p of report.problems) lines.push(`  ${p.code}: ${p.message}`);
  }
  return lines;
}

/** Writes `file` whole or not at all (electron/core/atomic-file.ts), mode 0600: a bundle names every device. */
export function writeAtomically(file: string, bytes: Uint8Array): void {
  try {
    writeFileAtomically(file, bytes, BUNDLE_FILE_MODE);
  } catch (error) {
    throw new SitrepError('invalid-argument', `cannot write ${path.resolve(file)}: ${(error as Error).message}`);
  }
}

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new SitrepError('not-found', `cannot read ${file}: ${(error as Error).message}`);
  }
}

function onePositional(positionals: string[], name: string): string {
  if (positionals.length !== 1) throw new TypeError(`expected one ${name}, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  return positionals[0];
}
