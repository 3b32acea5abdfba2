/**
 * Writing a file whole or not at all: the key store, metric credentials, exports and evidence
 * bundles all go through here.
 *
 * Invariants: the bytes go to a temporary file beside the target (same folder, so the rename is
 * atomic), created with `mode` and chmodded to it (a stale temporary keeps its old mode otherwise),
 * fsynced, then renamed over the target and the folder fsynced so the rename survives a power cut.
 * On any failure the temporary file is removed and the error rethrown: the target is either the old
 * file or the new one, never a half. The temporary's name is fixed (`FILE.tmp`), so one left by a
 * crash is replaced by the next write; callers serialise writes of one file (the writer lock, a
 * one-shot command).
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

export function writeFileAtomically(file: string, bytes: Uint8Array, mode = PRIVATE_FILE_MODE): void {
  const target = path.resolve(file);
  const temporary = `${target}.tmp`;
  try {
    const fd = fs.openSync(temporary, 'w', mode);
    try {
      fs.fchmodSync(fd, mode);
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncFolder(path.dirname(target));
}

/** Makes a rename durable. Windows cannot open a folder for fsync; its rename is what we get. */
export function fsyncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
