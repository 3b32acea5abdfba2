import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KEY_STORE_FILE,
  type KeyProtector,
  KeyStoreError,
  openKeyStore,
  plainFileProtector,
} from '../../../electron/core/key-store';
import { nodeCrypto as c } from '../../../electron/crypto';
import { deviceIdFromPublicKey } from '../../../shared/sync/incident-keys';

const INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b';
const OTHER_INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8c';
const OWNER_ONLY = 0o600;
const PERMISSION_BITS = 0o777;
const onPosix = process.platform !== 'win32';

/** A protector that really transforms the bytes, and knows its own output, like safeStorage. */
const MAGIC = [0x53, 0x45, 0x41, 0x4c];
const MASK = 0x5a;
const xorProtector: KeyProtector = {
  seal: (plain) => Uint8Array.from([...MAGIC, ...plain.map((byte) => byte ^ MASK)]),
  unseal: (sealed) => {
    if (!MAGIC.every((byte, i) => sealed[i] === byte)) throw new Error('not sealed by this protector');
    return sealed.subarray(MAGIC.length).map((byte) => byte ^ MASK);
  },
};

let dataDir: string;
let clock: number;
const now = (): number => clock;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sitrep-keys-'));
  clock = 1_764_400_000_000;
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function keyFile(): string {
  return join(dataDir, KEY_STORE_FILE);
}

function expectUnreadable(protector: KeyProtector): KeyStoreError {
  let caught: unknown;
  try {
    openKeyStore(dataDir, protector, now);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyStoreError);
  const error = caught as KeyStoreError;
  expect(error.code).toBe('key-store-unreadable');
  expect(error.message).toContain(keyFile());
  return error;
}

describe('key store', () => {
  it.runIf(onPosix)('is created on first run as keys.json, mode 0600, with no temporary file left', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    expect(store.path).toBe(keyFile());
    expect(statSync(keyFile()).mode & PERMISSION_BITS).toBe(OWNER_ONLY);
    expect(existsSync(`${keyFile()}.tmp`)).toBe(false);
    const contents = JSON.parse(readFileSync(keyFile(), 'utf8'));
    expect(contents).toMatchObject({ format: 1, device: { createdAt: clock }, retiredDevices: [], incidents: {} });
  });

  it('creates the data folder when it does not exist yet', () => {
    const nested = join(dataDir, 'a', 'b');
    const store = openKeyStore(nested, plainFileProtector, now);
    expect(existsSync(join(nested, KEY_STORE_FILE))).toBe(true);
    expect(store.deviceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reopens with the same device identity, whose id derives from its key', () => {
    const first = openKeyStore(dataDir, plainFileProtector, now);
    const again = openKeyStore(dataDir, plainFileProtector, now);
    expect(again.deviceId).toBe(first.deviceId);
    expect(again.deviceKey.publicKey).toEqual(first.deviceKey.publicKey);
    expect(first.deviceId).toBe(deviceIdFromPublicKey(c, first.deviceKey.publicKey));
    const message = new Uint8Array([1, 2, 3]);
    expect(c.verify(first.deviceKey.publicKey, message, again.deviceKey.sign(message))).toBe(true);
  });

  it('gives a different identity to a different data folder', () => {
    const other = mkdtempSync(join(tmpdir(), 'sitrep-keys-'));
    try {
      expect(openKeyStore(other, plainFileProtector, now).deviceId).not.toBe(
        openKeyStore(dataDir, plainFileProtector, now).deviceId,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x13])],
    ['truncated JSON', Buffer.from('{"format":1,"device":{"seed":')],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ format: 1, device: { seed: 'AAAA', createdAt: 0 } }))],
    ['a future format', Buffer.from(JSON.stringify({ format: 2, device: {}, retiredDevices: [], incidents: {} }))],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses a key store holding %s, naming the file and leaving it byte-identical', (_, corrupt) => {
    writeFileSync(keyFile(), corrupt, { mode: OWNER_ONLY });
    const before = statSync(keyFile());
    expectUnreadable(plainFileProtector);
    expect(readFileSync(keyFile())).toEqual(corrupt);
    expect(statSync(keyFile()).mtimeMs).toBe(before.mtimeMs);
    expect(existsSync(`${keyFile()}.tmp`)).toBe(false);
  });

  it('round-trips incident secrets across a reopen', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    const writeSecret = c.randomBytes(32);
    const readSecret = c.randomBytes(32);
    expect(store.incidentSecret(INCIDENT)).toBeUndefined();
    store.putIncidentSecret(INCIDENT, 'write', writeSecret);
    store.putIncidentSecret(OTHER_INCIDENT, 'read', readSecret);
    expect(store.incidentSecret(INCIDENT)).toEqual({ access: 'write', secret: writeSecret });

    const reopened = openKeyStore(dataDir, plainFileProtector, now);
    expect(reopened.incidentSecret(INCIDENT)).toEqual({ access: 'write', secret: writeSecret });
    expect(reopened.incidentSecret(OTHER_INCIDENT.toUpperCase())).toEqual({ access: 'read', secret: readSecret });
  });

  it('never downgrades a write secret to a later read secret, but upgrades read to write', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    const writeSecret = c.randomBytes(32);
    store.putIncidentSecret(INCIDENT, 'write', writeSecret);
    store.putIncidentSecret(INCIDENT, 'read', c.randomBytes(32));
    expect(openKeyStore(dataDir, plainFileProtector, now).incidentSecret(INCIDENT)).toEqual({
      access: 'write',
      secret: writeSecret,
    });

    store.putIncidentSecret(OTHER_INCIDENT, 'read', c.randomBytes(32));
    const upgraded = c.randomBytes(32);
    store.putIncidentSecret(OTHER_INCIDENT, 'write', upgraded);
    expect(openKeyStore(dataDir, plainFileProtector, now).incidentSecret(OTHER_INCIDENT)).toEqual({
      access: 'write',
      secret: upgraded,
    });
  });

  it('forgets one incident secret (an import undone), keeping the others, across a reopen', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    const kept = c.randomBytes(32);
    store.putIncidentSecret(INCIDENT, 'read', c.randomBytes(32));
    store.putIncidentSecret(OTHER_INCIDENT, 'write', kept);
    store.forgetIncidentSecret(INCIDENT.toUpperCase());
    store.forgetIncidentSecret(INCIDENT);
    const reopened = openKeyStore(dataDir, plainFileProtector, now);
    expect(reopened.incidentSecret(INCIDENT)).toBeUndefined();
    expect(reopened.incidentSecret(OTHER_INCIDENT)).toEqual({ access: 'write', secret: kept });
  });

  it('refuses a secret of the wrong length or an id that is not a UUID', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    expect(() => store.putIncidentSecret(INCIDENT, 'write', new Uint8Array(16))).toThrow(KeyStoreError);
    expect(() => store.putIncidentSecret('incident-1', 'write', new Uint8Array(32))).toThrow(KeyStoreError);
  });

  it('really uses a sealing protector: the file holds neither the seed nor any JSON', () => {
    const store = openKeyStore(dataDir, xorProtector, now);
    const secret = c.randomBytes(32);
    store.putIncidentSecret(INCIDENT, 'write', secret);

    const onDisk = readFileSync(keyFile());
    expect(onDisk.subarray(0, MAGIC.length)).toEqual(Buffer.from(MAGIC));
    const plain = Buffer.from(xorProtector.unseal(onDisk)).toString('utf8');
    const seed = JSON.parse(plain).device.seed as string;
    expect(onDisk.includes(Buffer.from(seed))).toBe(false);
    expect(onDisk.includes(Buffer.from(Buffer.from(secret).toString('base64')))).toBe(false);
    expect(onDisk.includes(Buffer.from('format'))).toBe(false);

    expect(openKeyStore(dataDir, xorProtector, now).deviceId).toBe(store.deviceId);
    // Opened without the protector that sealed it, the store is refused, not replaced.
    expectUnreadable(plainFileProtector);
    expect(readFileSync(keyFile())).toEqual(onDisk);
  });

  it('rotates to a new device identity, keeping the old one retired, without its seed', () => {
    const store = openKeyStore(dataDir, plainFileProtector, now);
    const oldId = store.deviceId;
    const oldPublicKey = store.deviceKey.publicKey;
    const oldSeed = JSON.parse(readFileSync(keyFile(), 'utf8')).device.seed as string;
    store.putIncidentSecret(INCIDENT, 'write', c.randomBytes(32));

    clock += 60_000;
    const rotated = store.rotateDevice();
    expect(rotated.deviceId).not.toBe(oldId);
    expect(store.deviceId).toBe(rotated.deviceId);
    expect(store.deviceKey.publicKey).toEqual(rotated.deviceKey.publicKey);

    const reopened = openKeyStore(dataDir, plainFileProtector, now);
    expect(reopened.deviceId).toBe(rotated.deviceId);
    expect(reopened.retiredDevices).toEqual([
      { deviceId: oldId, publicKey: oldPublicKey, createdAt: clock - 60_000, retiredAt: clock },
    ]);
    expect(reopened.incidentSecret(INCIDENT)?.access).toBe('write');
    expect(readFileSync(keyFile(), 'utf8')).not.toContain(oldSeed);
  });

  it.runIf(onPosix)('replaces a stale temporary file of a looser mode and still writes 0600', () => {
    openKeyStore(dataDir, plainFileProtector, now);
    writeFileSync(`${keyFile()}.tmp`, 'left over from a crash');
    chmodSync(`${keyFile()}.tmp`, 0o644);
    openKeyStore(dataDir, plainFileProtector, now).putIncidentSecret(INCIDENT, 'read', c.randomBytes(32));
    expect(statSync(keyFile()).mode & PERMISSION_BITS).toBe(OWNER_ONLY);
    expect(existsSync(`${keyFile()}.tmp`)).toBe(false);
    expect(openKeyStore(dataDir, plainFileProtector, now).incidentSecret(INCIDENT)?.access).toBe('read');
  });
});
