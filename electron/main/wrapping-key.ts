/**
 * The wrapping key that seals the core's key store (DESIGN.md §4): 32 random bytes, kept in
 * `userData/key-protector.bin` encrypted by the OS through Electron's safeStorage (Keychain on
 * macOS, DPAPI on Windows, the secret service on Linux). The file holds safeStorage's ciphertext of
 * the key in base64.
 *
 * Invariants:
 * - No silent plaintext: without OS encryption (or with Linux's 'basic_text' fallback, whose key is
 *   a constant) this refuses with WrappingKeyError, whose message the app shows before quitting.
 * - The key is made once: an existing file is only ever read (and re-encrypted when the OS asks);
 *   a file that cannot be decrypted is refused and left untouched, since the key store it unlocks
 *   may hold the only copy of a key.
 * - Writes are atomic (a 0600 temporary file, fsynced, renamed over).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { WRAPPING_KEY_BYTES } from '../core/host/core-port-protocol';

export const WRAPPING_KEY_FILE = 'key-protector.bin';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export class WrappingKeyError extends Error {
  override readonly name = 'WrappingKeyError';

  constructor(
    /** A dialog title. */
    readonly title: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export async function loadOrCreateWrappingKey(userDataDir: string, platform: NodeJS.Platform = process.platform): Promise<Uint8Array> {
  await requireOsEncryption(platform);
  const file = path.join(userDataDir, WRAPPING_KEY_FILE);
  let encrypted: Buffer;
  try {
    encrypted = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new WrappingKeyError('Sitrep cannot read its key', `${file} cannot be read (${(error as Error).message}).`, { cause: error });
    }
    const key = new Uint8Array(randomBytes(WRAPPING_KEY_BYTES));
    await writeEncryptedKey(userDataDir, file, key);
    return key;
  }

  let decrypted: { result: string; shouldReEncrypt: boolean };
  try {
    decrypted = await safeStorage.decryptStringAsync(encrypted);
  } catch (error) {
    throw new WrappingKeyError(
      'Sitrep cannot unlock its keys',
      `${file} cannot be decrypted by this user account's ${osStoreName(platform)} (${(error as Error).message}). ` +
        'It was left untouched: it unlocks the key store in the same folder. Open Sitrep as the user who created it.',
      { cause: error },
    );
  }
  const key = decodeKey(decrypted.result);
  if (!key) {
    throw new WrappingKeyError('Sitrep cannot unlock its keys', `${file} does not hold a ${WRAPPING_KEY_BYTES}-byte key; it was left untouched.`);
  }
  if (decrypted.shouldReEncrypt) await writeEncryptedKey(userDataDir, file, key);
  return key;
}

async function requireOsEncryption(platform: NodeJS.Platform): Promise<void> {
  const available = await safeStorage.isAsyncEncryptionAvailable();
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  if (available && !(backend && WEAK_LINUX_BACKENDS.has(backend))) return;
  const linuxHelp =
    ' Start or unlock your desktop keyring (GNOME Keyring or KWallet) and open Sitrep again. If your desktop is not ' +
    'detected, start Sitrep with --password-store=gnome-libsecret (or kwallet5, kwallet6).';
  throw new WrappingKeyError(
    'Sitrep cannot protect its keys',
    `Sitrep seals this device's keys with the ${osStoreName(platform)}, which is not available` +
      `${backend ? ` (selected backend: ${backend})` : ''}. It will not store the keys unprotected.` +
      (platform === 'linux' ? linuxHelp : ''),
  );
}

async function writeEncryptedKey(userDataDir: string, file: string, key: Uint8Array): Promise<void> {
  const encrypted = await safeStorage.encryptStringAsync(Buffer.from(key).toString('base64'));
  fs.mkdirSync(userDataDir, { recursive: true, mode: DIR_MODE });
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w', FILE_MODE);
  try {
    fs.fchmodSync(fd, FILE_MODE);
    fs.writeFileSync(fd, encrypted);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

function decodeKey(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === WRAPPING_KEY_BYTES ? new Uint8Array(bytes) : undefined;
}

function osStoreName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows data protection (DPAPI)';
  return 'desktop secret service';
}
