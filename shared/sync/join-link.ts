/**
 * Join links (DESIGN.md §5): `sitrep://join/<relay host:port>/<incident id>#<secret>` — a write link
 * carries S, a read link carries R. The secret is Crockford base32 in groups of four, readable
 * aloud and typed back (case, spaces, dashes, I/L/O confusions forgiven), with a kind letter and a
 * check so a mistyped link is refused before anything is tried. `?tls` means the relay is wss.
 *
 * Invariant: the secret lives only after `#`: it is never sent to a server or written to a log
 * line that prints the URL's address part.
 */
import { isUuid } from './bytes';
import { INCIDENT_SECRET_BYTES } from './incident-keys';

export type LinkAccess = 'write' | 'read';

export interface JoinLink {
  relay: { host: string; port: number; tls: boolean };
  incidentId: string;
  access: LinkAccess;
  secret: Uint8Array;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = 4;
const KIND_BYTE: Record<LinkAccess, number> = { write: 0x57, read: 0x52 };
const CHECK_BYTES = 2;

export class JoinLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JoinLinkError';
  }
}

/** CRC-16/CCITT over the kind and secret: catches every single-character slip when read aloud. */
function check(bytes: Uint8Array): Uint8Array {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return new Uint8Array([crc >> 8, crc & 0xff]);
}

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Uint8Array {
  const normalised = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of normalised) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) throw new JoinLinkError(`"${ch}" cannot appear in a link's secret`);
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

export function formatSecret(access: LinkAccess, secret: Uint8Array): string {
  const body = Uint8Array.from([KIND_BYTE[access], ...secret]);
  const text = toBase32(Uint8Array.from([...body, ...check(body)]));
  return text.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

export function formatJoinLink(link: JoinLink): string {
  const { host, port, tls } = link.relay;
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `sitrep://join/${address}/${link.incidentId}${tls ? '?tls' : ''}#${formatSecret(link.access, link.secret)}`;
}

export function parseJoinLink(text: string): JoinLink {
  const match = /^sitrep:\/\/join\/(\[[0-9a-fA-F:]+\]|[^/:]+):(\d{1,5})\/([^/?#]+)(\?tls)?#(.+)$/.exec(text.trim());
  if (!match) throw new JoinLinkError('not a Sitrep join link: expected sitrep://join/<relay host:port>/<incident id>#<secret>');
  const [, rawHost, rawPort, incidentId, tls, secretText] = match;
  const port = Number(rawPort);
  if (port < 1 || port > 65_535) throw new JoinLinkError(`port ${rawPort} is not a port number`);
  if (!isUuid(incidentId)) throw new JoinLinkError(`"${incidentId}" is not an incident id`);
  const bytes = fromBase32(secretText);
  const expected = 1 + INCIDENT_SECRET_BYTES + CHECK_BYTES;
  if (bytes.length !== expected) throw new JoinLinkError(`the secret is ${bytes.length} bytes long, a link's is ${expected}: part of it is missing or extra`);
  const body = bytes.subarray(0, expected - CHECK_BYTES);
  const sum = check(body);
  if (sum[0] !== bytes[expected - 2] || sum[1] !== bytes[expected - 1]) {
    throw new JoinLinkError('the secret does not check out: a character was mistyped');
  }
  const access = body[0] === KIND_BYTE.write ? 'write' : body[0] === KIND_BYTE.read ? 'read' : undefined;
  if (!access) throw new JoinLinkError('the secret is neither a write nor a read secret');
  return {
    relay: { host: rawHost.replace(/^\[|\]$/g, ''), port, tls: tls !== undefined },
    incidentId: incidentId.toLowerCase(),
    access,
    secret: body.slice(1),
  };
}
