/**
 * The relay protocol (DESIGN.md §5): binary WebSocket frames between a device and a relay.
 *
 * Frame: type u8 | headerLength u32 | header (UTF-8 JSON, ≤ MAX_HEADER_BYTES) |
 *        blobCount u16 | blobCount × (length u32 | bytes)          all integers big-endian
 * Blobs are op envelopes (exact signed bytes) or, for presence, one sealed blob. A frame is at most
 * MAX_FRAME_BYTES; a page carries at most MAX_PAGE_OPS ops; each op at most MAX_OP_BYTES.
 *
 * One connection serves one incident. Messages (R = relay, C = client):
 *   R→C challenge  { protocol, relayId, epoch, nonce, relayTime }              first frame, once
 *   C→R hello      { protocol, incident, writeAuthority, as, key, signature, certificate?, cursor, have }
 *                  [+ the genesis op when the relay may not know the incident yet]
 *                  `as: 'writer'` signs with its device key (certified by WA, in `certificate` or
 *                  in its seq-1 op the relay holds); `as: 'reader'` signs with RA. The signature is
 *                  over helloMessage(nonce, incident, key): no bearer token crosses the wire.
 *                  A reader that holds no genesis yet (a read link carries R, not WA) sends
 *                  `writeAuthority: ''`: the relay knows the incident by its id and its RA.
 *   R→C welcome    { epoch, relayTime, headRelaySeq, have }                    the relay's heads
 *   C→R push       { page } + ops                          writers only; ops in per-device seq order
 *   R→C ack        { page, stored, heads }                 after the relay's transaction committed
 *   C→R need       { device, fromSeq, toSeq }              ask for a device's ops by seq
 *   C→R catch-up   { after }                               ops after this relay seq, in pages
 *   R→C ops        { relaySeqs, more } + ops               catch-up pages and live fan-out
 *   R→C caught-up  { headRelaySeq }                        the backlog asked for is delivered
 *   C↔R presence   { from? } + one sealed blob             ephemeral, fanned out, never stored
 *   C↔R ping/pong  { t }                                   application heartbeats
 *   R→C error      { code, message, page?, details?, retryAfterMs? }   typed; the connection keeps serving
 *
 * Order: a catch-up is answered with `ops` pages in increasing relay seq (`more` on all but the
 * last), then `caught-up`; from then on the connection gets live `ops` as they commit, again in
 * increasing relay seq, and never its own pushes back. A `need` is answered with `ops` pages of
 * the ops held in that range (their relay seqs may lie below the cursor), the last with `more`
 * false, an empty page when the relay holds none of them. Presence is for writers: the relay
 * stamps `from` with the device id the hello proved.
 *
 * Error details (positional strings), by code:
 *   op-rejected   [OpError code, device, seq]           device and seq empty when the op does not parse;
 *                                                       the whole page is refused, nothing of it stored
 *   gap           [device, expected seq]
 *   equivocation  [device, seq, held hash, offered hash]    hex; the relay keeps both ops as evidence
 *   rate-limited  retryAfterMs says when to try again (with jitter for catch-ups)
 * A refused hello is answered with its error and the socket closed with CLOSE_CODES.refused.
 *
 * Versioning: `protocol` in challenge and hello; a relay refuses a hello of another major version
 * with 'unsupported-protocol'. Unknown frame types are answered with 'bad-frame' and ignored.
 */
import { z } from 'zod';
import { bytesToHex, concatBytes, utf8Decode, utf8Encode, uuidToBytes } from './bytes';
import { MAX_OP_BYTES } from './op-envelope';

export const PROTOCOL_VERSION = 1;
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/**
 * The largest WebSocket message a relay reads (its `maxPayload`): a frame above MAX_FRAME_BYTES but
 * below this still gets a typed 'too-large'; a bigger message closes the socket (1009).
 */
export const MAX_MESSAGE_BYTES = 2 * MAX_FRAME_BYTES;
export const MAX_HEADER_BYTES = 256 * 1024;
export const MAX_PAGE_OPS = 500;
/** How long a relay waits without any frame before it considers a connection dead. */
export const HEARTBEAT_MS = 15_000;
export const DEAD_AFTER_MS = 45_000;

/** WebSocket close codes a relay uses (4000–4999 belong to the application). */
export const CLOSE_CODES = {
  /** A newer connection of the same device for the same incident took over (two at once: a clone). */
  replaced: 4000,
  /** The hello was refused; the error frame before it says why. */
  refused: 4001,
  /** Too many bad frames on this connection. */
  misbehaving: 4002,
  /** The relay is shutting down. */
  'going-away': 1001,
  /** The relay could not store or read (its disk, its database); try again later. */
  'relay-failure': 1011,
} as const;

export const FRAME_TYPES = {
  challenge: 1,
  hello: 2,
  welcome: 3,
  push: 4,
  ack: 5,
  need: 6,
  'catch-up': 7,
  ops: 8,
  'caught-up': 9,
  presence: 10,
  ping: 11,
  pong: 12,
  error: 13,
} as const;
export type FrameType = keyof typeof FRAME_TYPES;
const TYPE_NAMES = Object.fromEntries(Object.entries(FRAME_TYPES).map(([name, code]) => [code, name])) as Record<number, FrameType>;

export const RELAY_ERROR_CODES = [
  'bad-frame',
  'too-large',
  'unsupported-protocol',
  'unauthorized',
  'unknown-incident',
  'read-only',
  'rate-limited',
  'quota',
  'op-rejected',
  'gap',
  'equivocation',
] as const;
export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number];

const b64 = z.string().max(200);
const deviceId = z.string().regex(/^[0-9a-f]{32}$/);
const seq = z.number().int().nonnegative();
/** Per device: highest contiguous seq held and the hash of that op (base64). */
export const headsSchema = z.record(deviceId, z.object({ seq, head: b64 }));
export type Heads = z.infer<typeof headsSchema>;

export const headerSchemas = {
  challenge: z.object({ protocol: z.number().int(), relayId: z.string().max(100), epoch: z.string().max(100), nonce: b64, relayTime: z.number() }),
  hello: z.object({
    protocol: z.number().int(),
    incident: z.string().uuid(),
    writeAuthority: b64,
    as: z.enum(['writer', 'reader']),
    key: b64,
    signature: b64,
    certificate: b64.optional(),
    cursor: z.object({ epoch: z.string().max(100), relaySeq: seq }).nullable(),
    have: headsSchema,
  }),
  welcome: z.object({ epoch: z.string().max(100), relayTime: z.number(), headRelaySeq: seq, have: headsSchema }),
  push: z.object({ page: seq }),
  ack: z.object({ page: seq, stored: seq, heads: z.record(deviceId, seq) }),
  need: z.object({ device: deviceId, fromSeq: seq, toSeq: seq }),
  'catch-up': z.object({ after: seq }),
  ops: z.object({ relaySeqs: z.array(seq).max(MAX_PAGE_OPS), more: z.boolean() }),
  'caught-up': z.object({ headRelaySeq: seq }),
  presence: z.object({ from: deviceId.optional() }),
  ping: z.object({ t: z.number() }),
  pong: z.object({ t: z.number() }),
  error: z.object({
    code: z.enum(RELAY_ERROR_CODES),
    message: z.string().max(2000),
    page: seq.optional(),
    details: z.array(z.string().max(500)).max(20).optional(),
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
} as const;

export type FrameHeader<T extends FrameType> = z.infer<(typeof headerSchemas)[T]>;
export type Frame = { [T in FrameType]: { type: T; header: FrameHeader<T>; blobs: Uint8Array[] } }[FrameType];

export class ProtocolError extends Error {
  readonly code: RelayErrorCode;
  constructor(code: RelayErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

const U8 = 1;
const U16 = 2;
const U32 = 4;
const MAX_BLOBS = 0xffff;

export function encodeFrame<T extends FrameType>(type: T, header: FrameHeader<T>, blobs: readonly Uint8Array[] = []): Uint8Array {
  const json = utf8Encode(JSON.stringify(header));
  if (blobs.length > MAX_BLOBS) throw new ProtocolError('too-large', `a frame carries at most ${MAX_BLOBS} blobs`);
  const size = U8 + U32 + json.length + U16 + blobs.reduce((n, b) => n + U32 + b.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  view.setUint8(at, FRAME_TYPES[type]);
  at += U8;
  view.setUint32(at, json.length);
  at += U32;
  out.set(json, at);
  at += json.length;
  view.setUint16(at, blobs.length);
  at += U16;
  for (const blob of blobs) {
    view.setUint32(at, blob.length);
    at += U32;
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}

/** Parses and validates a frame; throws ProtocolError with the reason and the byte offset. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length > MAX_FRAME_BYTES) throw new ProtocolError('too-large', `frame of ${bytes.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, n: number, what: string) => {
    if (at + n > bytes.length) throw new ProtocolError('bad-frame', `frame truncated: ${what} needs ${n} bytes at offset ${at}, frame has ${bytes.length}`);
  };
  let at = 0;
  need(at, U8, 'type');
  const type = TYPE_NAMES[view.getUint8(at)];
  if (!type) throw new ProtocolError('bad-frame', `unknown frame type ${view.getUint8(at)}`);
  at += U8;
  need(at, U32, 'header length');
  const headerLength = view.getUint32(at);
  at += U32;
  if (headerLength > MAX_HEADER_BYTES) throw new ProtocolError('too-large', `${type} header of ${headerLength} bytes exceeds ${MAX_HEADER_BYTES}`);
  need(at, headerLength, `${type} header`);
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(bytes.subarray(at, at + headerLength)));
  } catch {
    throw new ProtocolError('bad-frame', `${type} header at offset ${at} is not JSON`);
  }
  at += headerLength;
  const parsed = headerSchemas[type].safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ProtocolError('bad-frame', `${type} header: ${problems}`);
  }
  need(at, U16, 'blob count');
  const count = view.getUint16(at);
  at += U16;
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    need(at, U32, `blob ${i} length`);
    const length = view.getUint32(at);
    at += U32;
    if (length > MAX_OP_BYTES) throw new ProtocolError('too-large', `blob ${i} of ${length} bytes exceeds ${MAX_OP_BYTES}`);
    need(at, length, `blob ${i}`);
    blobs.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (at !== bytes.length) throw new ProtocolError('bad-frame', `${bytes.length - at} unexpected bytes after the last blob at offset ${at}`);
  if ((type === 'push' || type === 'ops') && blobs.length > MAX_PAGE_OPS) {
    throw new ProtocolError('too-large', `a page carries at most ${MAX_PAGE_OPS} ops, this one ${blobs.length}`);
  }
  return { type, header: parsed.data, blobs } as Frame;
}

const HELLO_CONTEXT = utf8Encode('sitrep/relay-hello/v1');

/** What a connecting device signs: the relay's nonce, the incident, and the key it signs with. */
export function helloMessage(nonce: Uint8Array, incidentId: string, key: Uint8Array): Uint8Array {
  return concatBytes(HELLO_CONTEXT, nonce, uuidToBytes(incidentId), key);
}

export const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A stable label for a head in logs and errors. */
export const shortHash = (hash: Uint8Array): string => bytesToHex(hash).slice(0, 16);
