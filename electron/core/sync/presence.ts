/**
 * Presence (DESIGN.md §5, protocol.ts): who is online, as one blob sealed with the incident's
 * content key, so the relay forwards it without reading it. Ephemeral: never stored.
 *
 * Blob: nonce (12 bytes) ‖ AES-256-GCM(K, nonce, JSON { name, clockOffsetMs }, AD = context ‖ incident).
 * The device id is the one the relay stamps in `from` (the device the hello proved), never a claim
 * inside the blob.
 *
 * Invariants: a blob that does not open with this incident's key, or does not parse, is ignored;
 * a device not heard from for PRESENCE_TTL_MS is no longer online.
 */
import { z } from 'zod';
import { concatBytes, utf8Decode, utf8Encode, uuidToBytes } from '../../../shared/sync/bytes';
import type { PresentDevice } from '../../../shared/model/views';
import type { SyncCrypto } from '../../../shared/sync/crypto';
import { NONCE_BYTES } from '../../../shared/sync/op-envelope';

/** How often a connected writer announces itself, and how long an announcement counts. */
export const PRESENCE_EVERY_MS = 10_000;
export const PRESENCE_TTL_MS = 30_000;

const CONTEXT = utf8Encode('sitrep/presence/v1');
const MAX_NAME = 200;

const presenceSchema = z.object({ name: z.string().max(MAX_NAME), clockOffsetMs: z.number().finite().nullable() });
export type Presence = z.infer<typeof presenceSchema>;

const associatedData = (incident: string) => concatBytes(CONTEXT, uuidToBytes(incident));

export function sealPresence(c: SyncCrypto, contentKey: Uint8Array, incident: string, presence: Presence): Uint8Array {
  const nonce = c.randomBytes(NONCE_BYTES);
  return concatBytes(nonce, c.seal(contentKey, nonce, utf8Encode(JSON.stringify(presence)), associatedData(incident)));
}

export function openPresence(c: SyncCrypto, contentKey: Uint8Array, incident: string, blob: Uint8Array): Presence | null {
  try {
    const plain = c.open(contentKey, blob.subarray(0, NONCE_BYTES), blob.subarray(NONCE_BYTES), associatedData(incident));
    const parsed = presenceSchema.safeParse(JSON.parse(utf8Decode(plain)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Heard extends Presence {
  seenAt: number;
  /** Real time it was heard, for expiry: the device clock may be faked or stand still. */
  heardAt: number;
}

/** Who was heard from lately, per device id; an announcement counts for `ttlMs`. */
export class PresenceBook {
  private readonly heard = new Map<string, Heard>();

  constructor(
    private readonly ttlMs: number,
    private readonly realNow: () => number = Date.now,
  ) {}

  hear(deviceId: string, presence: Presence, seenAt: number): void {
    for (const [device, h] of this.heard) if (!this.fresh(h)) this.heard.delete(device);
    this.heard.set(deviceId, { ...presence, seenAt, heardAt: this.realNow() });
  }

  online(): PresentDevice[] {
    return [...this.heard]
      .filter(([, h]) => this.fresh(h))
      .map(([deviceId, h]) => ({ deviceId, name: h.name, seenAt: h.seenAt }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.deviceId.localeCompare(b.deviceId));
  }

  /** Clock offsets (relay minus device) that devices heard from lately reported. */
  clockOffsets(): Map<string, number> {
    const offsets = new Map<string, number>();
    for (const [device, h] of this.heard) if (this.fresh(h) && h.clockOffsetMs !== null) offsets.set(device, h.clockOffsetMs);
    return offsets;
  }

  private fresh(h: Heard): boolean {
    return this.realNow() - h.heardAt < this.ttlMs;
  }
}
