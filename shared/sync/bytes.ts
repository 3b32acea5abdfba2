/**
 * Byte helpers for the sync layer: UUID strings <-> their 16 raw bytes, hex, concatenation and
 * comparison. Pure (Uint8Array, DataView and TextEncoder only; no Buffer) so shared/ stays portable.
 *
 * Invariants: `uuidToBytes(bytesToUuid(b))` equals `b` for every 16-byte `b`; `bytesToUuid` and
 * `bytesToHex` always produce lowercase, so a string id has exactly one spelling.
 */

export const UUID_BYTES = 16;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Where the dashes sit in the 32 hex digits of a UUID (8-4-4-4-12). */
const UUID_GROUP_ENDS = [8, 12, 16, 20] as const;
const HEX_DIGITS_PER_BYTE = 2;
const HEX_RADIX = 16;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** The 16 bytes of a UUID string in any case; throws a TypeError naming the bad input otherwise. */
export function uuidToBytes(uuid: string): Uint8Array {
  if (!isUuid(uuid)) throw new TypeError(`not a UUID: ${JSON.stringify(uuid)}`);
  return hexToBytes(uuid.replaceAll('-', ''));
}

export function bytesToUuid(bytes: Uint8Array): string {
  if (bytes.length !== UUID_BYTES) {
    throw new TypeError(`a UUID is ${UUID_BYTES} bytes, got ${bytes.length}`);
  }
  const hex = bytesToHex(bytes);
  let uuid = '';
  let start = 0;
  for (const end of UUID_GROUP_ENDS) {
    uuid += `${hex.slice(start, end)}-`;
    start = end;
  }
  return uuid + hex.slice(start);
}

/** The two hex digits of each byte value: ids and hashes are turned to hex for every op handled. */
const HEX_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(HEX_RADIX).padStart(HEX_DIGITS_PER_BYTE, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_OF_BYTE[bytes[i]];
  return hex;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % HEX_DIGITS_PER_BYTE !== 0 || !/^[0-9a-f]*$/i.test(hex)) {
    throw new TypeError(`not an even-length hex string: ${JSON.stringify(hex)}`);
  }
  const bytes = new Uint8Array(hex.length / HEX_DIGITS_PER_BYTE);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(i * HEX_DIGITS_PER_BYTE, (i + 1) * HEX_DIGITS_PER_BYTE), HEX_RADIX);
  }
  return bytes;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * Byte equality. Runs over the whole length regardless of where the first difference is, so
 * comparing hashes and keys leaks no timing about how much of them matched.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let bits = 0;
  for (const byte of bytes) bits |= byte;
  return bits === 0;
}

export function utf8Encode(text: string): Uint8Array {
  return textEncoder.encode(text);
}

/** Strict UTF-8 decoding: throws a TypeError on invalid sequences instead of inserting U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}
