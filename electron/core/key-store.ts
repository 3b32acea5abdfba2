/**
 * The device's key store (DESIGN.md §4): its Ed25519 seed and each incident's secret (S for
 * writers, R for observers), in `keys.json` beside, never inside, the SQLite file, so a database
 * backup never carries a key.
 *
 * Invariants:
 * - The file is mode 0600 and its bytes are `protector.seal(JSON)`; the host chooses the
 *   protector (Electron: safeStorage; Node modes: plainFileProtector, relying on the file mode).
 * - Every write is atomic: keys.json.tmp (0600) is written and fsynced, renamed over keys.json,
 *   and the directory fsynced, so after a crash the file is the old contents or the new, never a mix.
 * - A file that cannot be unsealed, parsed or validated is refused (KeyStoreError
 *   'key-store-unreadable', naming the file) and never written over: it may be the only copy of a key.
 * - A write secret is never replaced by a read secret for the same incident (write implies read).
 * - Rotating the device keeps the old identity (id, public key, dates) in retiredDevices, without
 *   its seed: a retired key must never sign again, so it is not kept.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeCrypto } from '../crypto';
import { writeFileAtomically } from './atomic-file';
import type { SigningKey } from '../../shared/sync/crypto';
import { isUuid } from '../../shared/sync/bytes';
import { deviceIdFromPublicKey, INCIDENT_SECRET_BYTES, type IncidentAccess } from '../../shared/sync/incident-keys';

export const KEY_STORE_FILE = 'keys.json';
const KEY_STORE_FORMAT = 1;
const DEVICE_SEED_BYTES = 32;
const PUBLIC_KEY_BYTES = 32;
/** Owner read/write only. */
const KEY_FILE_MODE = 0o600;
/** Owner only, for a data folder this module has to create. */
const DATA_DIR_MODE = 0o700;
const JSON_INDENT = 2;

export type KeyStoreErrorCode = 'key-store-unreadable' | 'key-store-invalid-argument';

export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';

  constructor(
    readonly code: KeyStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps the key store's bytes at rest; `unseal` throws when the bytes are not its own sealing. */
export interface KeyProtector {
  seal(plain: Uint8Array): Uint8Array;
  unseal(sealed: Uint8Array): Uint8Array;
}

/** For Node modes: stores the JSON as is, protected only by the file's 0600 mode. */
export const plainFileProtector: KeyProtector = {
  seal: (plain) => plain,
  unseal: (sealed) => sealed,
};

export interface IncidentSecret {
  readonly access: IncidentAccess;
  readonly secret: Uint8Array;
}

export interface RetiredDevice {
  readonly deviceId: string;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  readonly retiredAt: number;
}

export interface DeviceIdentity {
  readonly deviceKey: SigningKey;
  readonly deviceId: string;
}

export interface KeyStore extends DeviceIdentity {
  readonly path: string;
  readonly retiredDevices: readonly RetiredDevice[];
  incidentSecret(incidentId: string): IncidentSecret | undefined;
  /** Stores S (write) or R (read); a stored write secret is kept when a read secret arrives. */
  putIncidentSecret(incidentId: string, access: IncidentAccess, secret: Uint8Array): void;
  /** Drops an incident's secret: only to undo a put whose import then failed, so a refused import keeps no key. */
  forgetIncidentSecret(incidentId: string): void;
  /** Makes a new device identity (after a clone or rollback, DESIGN.md §5); the old one is retired. */
  rotateDevice(): DeviceIdentity;
}

const base64Bytes = (length: number) =>
  z.base64().refine((text) => Buffer.from(text, 'base64').length === length, `must decode to ${length} bytes`);

const keyFileSchema = z.strictObject({
  format: z.literal(KEY_STORE_FORMAT),
  device: z.strictObject({ seed: base64Bytes(DEVICE_SEED_BYTES), createdAt: z.number().int().nonnegative() }),
  retiredDevices: z.array(
    z.strictObject({
      deviceId: z.string().regex(/^[0-9a-f]{32}$/),
      publicKey: base64Bytes(PUBLIC_KEY_BYTES),
      createdAt: z.number().int().nonnegative(),
      retiredAt: z.number().int().nonnegative(),
    }),
  ),
  incidents: z.record(
    z.string().refine(isUuid, 'must be a UUID'),
    z.strictObject({ access: z.enum(['write', 'read']), secret: base64Bytes(INCIDENT_SECRET_BYTES) }),
  ),
});

type KeyFile = z.infer<typeof keyFileSchema>;

/**
 * Opens `dataDir/keys.json`, creating it with a new device seed on first run. Synchronous, like
 * the rest of the core's storage; one writer per data folder is the caller's lock.
 */
export function openKeyStore(dataDir: string, protector: KeyProtector, now: () => number): KeyStore {
  const path = join(dataDir, KEY_STORE_FILE);
  let file = readKeyFile(path, protector);
  if (file === undefined) {
    mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
    file = {
      format: KEY_STORE_FORMAT,
      device: newDevice(now()),
      retiredDevices: [],
      incidents: {},
    };
    writeKeyFile(path, protector, file);
  }
  let current = file;
  let identity = identityOf(current);

  const commit = (next: KeyFile): void => {
    writeKeyFile(path, protector, next);
    current = next;
  };

  return {
    path,
    get deviceKey() {
      return identity.deviceKey;
    },
    get deviceId() {
      return identity.deviceId;
    },
    get retiredDevices() {
      return current.retiredDevices.map((retired) => ({ ...retired, publicKey: fromBase64(retired.publicKey) }));
    },

    incidentSecret(incidentId) {
      const entry = current.incidents[normaliseIncidentId(incidentId)];
      return entry && { access: entry.access, secret: fromBase64(entry.secret) };
    },

    putIncidentSecret(incidentId, access, secret) {
      const id = normaliseIncidentId(incidentId);
      if (secret.length !== INCIDENT_SECRET_BYTES) {
        throw new KeyStoreError(
          'key-store-invalid-argument',
          `an incident secret is ${INCIDENT_SECRET_BYTES} bytes, got ${secret.length}`,
        );
      }
      const existing = current.incidents[id];
      const encoded = toBase64(secret);
      if (existing?.access === 'write' && access === 'read') return;
      if (existing?.access === access && existing.secret === encoded) return;
      commit({ ...current, incidents: { ...current.incidents, [id]: { access, secret: encoded } } });
    },

    forgetIncidentSecret(incidentId) {
      const id = normaliseIncidentId(incidentId);
      if (!(id in current.incidents)) return;
      const { [id]: _forgotten, ...incidents } = current.incidents;
      commit({ ...current, incidents });
    },

    rotateDevice() {
      const retiredAt = now();
      const old = identity;
      commit({
        ...current,
        device: newDevice(retiredAt),
        retiredDevices: [
          ...current.retiredDevices,
          {
            deviceId: old.deviceId,
            publicKey: toBase64(old.deviceKey.publicKey),
            createdAt: current.device.createdAt,
            retiredAt,
          },
        ],
      });
      identity = identityOf(current);
      return identity;
    },
  };
}

/** The parsed file, or undefined when there is none yet; throws KeyStoreError for anything else. */
function readKeyFile(path: string, protector: KeyProtector): KeyFile | undefined {
  let sealed: Uint8Array;
  try {
    sealed = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(path, `cannot be read (${(error as Error).message})`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(protector.unseal(sealed)));
  } catch (error) {
    throw unreadable(
      path,
      `cannot be unsealed or is not JSON (${(error as Error).message}); if the desktop app sealed it with this computer's keychain, use the app, or give this command its own --data-dir`,
      error,
    );
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw unreadable(path, `is not a valid key store (${problems.join('; ')})`, parsed.error);
  }
  return parsed.data;
}

function writeKeyFile(path: string, protector: KeyProtector, file: KeyFile): void {
  writeFileAtomically(path, protector.seal(new TextEncoder().encode(`${JSON.stringify(file, null, JSON_INDENT)}\n`)), KEY_FILE_MODE);
}

function newDevice(createdAt: number): KeyFile['device'] {
  return { seed: toBase64(nodeCrypto.randomBytes(DEVICE_SEED_BYTES)), createdAt };
}

function identityOf(file: KeyFile): DeviceIdentity {
  const deviceKey = nodeCrypto.signingKeyFromSeed(fromBase64(file.device.seed));
  return { deviceKey, deviceId: deviceIdFromPublicKey(nodeCrypto, deviceKey.publicKey) };
}

function normaliseIncidentId(incidentId: string): string {
  if (!isUuid(incidentId)) {
    throw new KeyStoreError('key-store-invalid-argument', `not an incident id: ${JSON.stringify(incidentId)}`);
  }
  return incidentId.toLowerCase();
}

function unreadable(path: string, problem: string, cause: unknown): KeyStoreError {
  return new KeyStoreError('key-store-unreadable', `key store ${path} ${problem}; it was left untouched`, { cause });
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
