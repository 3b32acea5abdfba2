/**
 * `sitrep verify`, `sitrep export-evidence` and `sitrep import` as real child processes: verify
 * needs no data folder and exits 0 with the fingerprint and devices, or 1 saying what is wrong;
 * export-evidence writes the bundle beside a running core (read-only) and says so when the folder
 * cannot be written, leaving no file; import takes the bundle in with the link.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import { createCore } from '../../../electron/core/core';
import { nodeCrypto } from '../../../electron/crypto';
import { keyFingerprint } from '../../../shared/evidence/verify-bundle';
import { formatJoinLink } from '../../../shared/sync/join-link';
import { spawnTs } from '../../support/child-process';
import { tempDir } from '../../support/temp-dir';
import { exportBundle, twoDeviceIncident } from '../../support/evidence';

/** Runs `sitrep ARGS` to its end: its exit code and what it printed. */
function sitrep(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child: ChildProcess = spawnTs('electron/cli/main.ts', args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('sitrep evidence commands', () => {
  const { ana, bo, incidentId } = twoDeviceIncident();
  const dir = tempDir();
  const good = path.join(dir, 'good.sitrep-evidence');
  fs.writeFileSync(good, exportBundle(ana.core, incidentId));
  const writeAuthority = ana.core.context.incidentKeys(incidentId)!.keys;

  it('verify prints the write-authority fingerprint and each device, exit 0, with no data folder', async () => {
    const { code, stdout } = await sitrep(['verify', good]);
    expect(code).toBe(0);
    const fingerprint = 'writeAuthority' in writeAuthority ? keyFingerprint(nodeCrypto, writeAuthority.writeAuthority.publicKey) : '';
    expect(stdout).toContain(`${good}: verified`);
    expect(stdout).toContain(`write authority   ${fingerprint}`);
    expect(stdout).toContain(`incident          ${incidentId}`);
    expect(stdout).toMatch(new RegExp(`${ana.core.deviceId}  writer +seq 1\\.\\.\\d+  \\d+ ops  Ana laptop`));
    expect(stdout).toMatch(new RegExp(`${bo.core.deviceId}  writer +seq 1\\.\\.\\d+  \\d+ ops`));
    expect(stdout).toContain('write-authority');
  });

  it('verify of a tampered bundle exits 1 and says exactly what is wrong', async () => {
    const bytes = fs.readFileSync(good);
    bytes[bytes.length - 200] ^= 0x04;
    const tampered = path.join(dir, 'tampered.sitrep-evidence');
    fs.writeFileSync(tampered, bytes);
    const { code, stdout } = await sitrep(['verify', tampered]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${tampered}: DOES NOT VERIFY`);
    expect(stdout).toMatch(/content-hash-mismatch: the contents .* hash to/);

    fs.writeFileSync(tampered, bytes.subarray(0, 100));
    const truncated = await sitrep(['verify', tampered]);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toMatch(/truncated: bundle truncated: manifest needs \d+ bytes at offset 14/);
  });

  it('export-evidence writes the same verified bundle beside a running core, and refuses an unwritable folder leaving no file', async () => {
    const out = path.join(dir, 'cli.sitrep-evidence');
    const { code, stdout, stderr } = await sitrep(['export-evidence', incidentId, '--out', out, '--data-dir', ana.dataDir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`wrote ${out}`);
    expect((await sitrep(['verify', out])).code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);

    // A folder that cannot be written, whoever runs the test (root writes through modes): a file in the way.
    const before = fs.readdirSync(dir).sort();
    const refused = await sitrep(['export-evidence', incidentId, '--out', path.join(good, 'x.sitrep-evidence'), '--data-dir', ana.dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot write ${path.join(good, 'x.sitrep-evidence')}`);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('import takes the bundle into an empty data folder with the link, and asks for it without', async () => {
    const target = tempDir();
    const asked = await sitrep(['import', good, '--data-dir', target]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('pass it with --link');
    const keys = ana.core.context.incidentKeys(incidentId)!;
    const link = formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access: 'read', secret: keys.keys.readSecret });
    const { code, stdout, stderr } = await sitrep(['import', good, '--link', link, '--data-dir', target]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(new RegExp(`incident ${incidentId}, (\\d+) ops, \\1 new`));
    const imported = createCore({ dataDir: target, sync: false });
    try {
      expect(replicatedIncident(imported.context.db, incidentId)).toEqual(replicatedIncident(ana.core.context.db, incidentId));
    } finally {
      imported.close();
    }
  });
});
