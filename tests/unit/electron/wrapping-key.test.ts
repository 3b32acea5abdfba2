/** The wrapping key in userData/key-protector.bin, protected by a (fake) safeStorage. */
const safeStorage = vi.hoisted(() => {
  // A reversible "OS encryption" that knows its own output, like the real one.
  const MAGIC = 'v11:';
  return {
    isAsyncEncryptionAvailable: vi.fn(async () => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(MAGIC + Buffer.from(plain, 'utf8').toString('hex'), 'utf8')),
    decryptStringAsync: vi.fn(async (encrypted: Buffer) => {
      const text = encrypted.toString('utf8');
      if (!text.startsWith(MAGIC)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: Buffer.from(text.slice(MAGIC.length), 'hex').toString('utf8'), shouldReEncrypt: false };
    }),
  };
});
vi.mock('electron', () => ({ safeStorage }));

import fs from 'node:fs';
import path from 'node:path';
import { loadOrCreateWrappingKey, WRAPPING_KEY_FILE, WrappingKeyError } from '../../../electron/main/wrapping-key';
import { tempDir } from '../../support/temp-dir';

const onPosix = process.platform !== 'win32';

beforeEach(() => {
  vi.clearAllMocks();
  safeStorage.isAsyncEncryptionAvailable.mockResolvedValue(true);
  safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
});

async function refusal(promise: Promise<unknown>): Promise<WrappingKeyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrappingKeyError);
  return error as WrappingKeyError;
}

describe('loadOrCreateWrappingKey', () => {
  it('creates a 32-byte key once, stored only encrypted, and returns the same key afterwards', async () => {
    const userData = path.join(tempDir(), 'Sitrep');
    const key = await loadOrCreateWrappingKey(userData, 'linux');
    expect(key).toBeInstanceOf(Uint8Array);
    expect(key.length).toBe(32);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledExactlyOnceWith(Buffer.from(key).toString('base64'));

    const file = path.join(userData, WRAPPING_KEY_FILE);
    const stored = fs.readFileSync(file);
    expect(stored.includes(Buffer.from(key))).toBe(false);
    expect(stored.toString('utf8')).not.toContain(Buffer.from(key).toString('base64'));
    if (onPosix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = await loadOrCreateWrappingKey(userData, 'linux');
    expect(again).toEqual(key);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledOnce();
    expect(fs.readFileSync(file)).toEqual(stored);
  });

  it('makes a different key for another user data folder', async () => {
    const a = await loadOrCreateWrappingKey(tempDir(), 'win32');
    const b = await loadOrCreateWrappingKey(tempDir(), 'win32');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('re-encrypts the key when the OS asks, keeping the same key', async () => {
    const userData = tempDir();
    const key = await loadOrCreateWrappingKey(userData, 'darwin');
    safeStorage.decryptStringAsync.mockImplementationOnce(async () => ({ result: Buffer.from(key).toString('base64'), shouldReEncrypt: true }));
    expect(await loadOrCreateWrappingKey(userData, 'darwin')).toEqual(key);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2);
    expect(await loadOrCreateWrappingKey(userData, 'darwin')).toEqual(key);
  });

  it.each(['darwin', 'win32', 'linux'] as const)('refuses, naming the OS store, when safeStorage is unavailable (%s)', async (platform) => {
    safeStorage.isAsyncEncryptionAvailable.mockResolvedValue(false);
    const userData = tempDir();
    const error = await refusal(loadOrCreateWrappingKey(userData, platform));
    expect(error.title).toBe('Sitrep cannot protect its keys');
    expect(error.message).toMatch(/not available/);
    expect(error.message).toMatch(/will not store the keys unprotected/);
    expect(error.message).toContain({ darwin: 'macOS Keychain', win32: 'Windows data protection', linux: 'secret service' }[platform]);
    expect(fs.existsSync(path.join(userData, WRAPPING_KEY_FILE))).toBe(false);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it.each(['basic_text', 'unknown'])("refuses Linux's %s backend even if it claims to be available", async (backend) => {
    safeStorage.getSelectedStorageBackend.mockReturnValue(backend);
    const error = await refusal(loadOrCreateWrappingKey(tempDir(), 'linux'));
    expect(error.message).toContain(`selected backend: ${backend}`);
    expect(error.message).toContain('--password-store=gnome-libsecret');
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
  });

  it('refuses a key file this account cannot decrypt, and leaves it untouched', async () => {
    const userData = tempDir();
    const file = path.join(userData, WRAPPING_KEY_FILE);
    fs.writeFileSync(file, 'sealed by another account');
    const error = await refusal(loadOrCreateWrappingKey(userData, 'linux'));
    expect(error.title).toBe('Sitrep cannot unlock its keys');
    expect(error.message).toContain(file);
    expect(error.message).toContain('left untouched');
    expect(fs.readFileSync(file, 'utf8')).toBe('sealed by another account');
  });

  it('refuses a key file that decrypts to something other than a 32-byte key', async () => {
    const userData = tempDir();
    const file = path.join(userData, WRAPPING_KEY_FILE);
    for (const content of [Buffer.alloc(16).toString('base64'), 'not base64 at all!', '']) {
      fs.writeFileSync(file, await safeStorage.encryptStringAsync(content));
      const error = await refusal(loadOrCreateWrappingKey(userData, 'linux'));
      expect(error.message).toContain('does not hold a 32-byte key');
    }
  });
});
