/**
 * A relay's address as a person types it ("host:port", "[::1]:port", ws:// or wss:// URLs) and as
 * it is stored, shown ("host:port") and dialled (a ws(s) URL).
 *
 * Invariant: parsing refuses anything that is not exactly a host and a port (a path, a query, a
 * user name, a port out of range) with SitrepError 'invalid-argument' naming the field, so a typo
 * is never stored as a relay that can only fail later.
 */
import { SitrepError } from '../../../shared/errors';

export interface RelayAddress {
  host: string;
  port: number;
  tls: boolean;
}

const MAX_PORT = 65_535;
const HOST_PATTERN = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

export function parseRelayAddress(text: string, field = 'relay'): RelayAddress {
  const trimmed = text.trim();
  const scheme = /^(wss?):\/\//i.exec(trimmed);
  const rest = scheme ? trimmed.slice(scheme[0].length).replace(/\/$/, '') : trimmed;
  const match = /^(\[[^\]]+\]|[^:/?#@]+):(\d{1,5})$/.exec(rest);
  if (!match || !HOST_PATTERN.test(match[1])) {
    throw new SitrepError('invalid-argument', `${field}: expected "host:port" or a ws:// or wss:// URL, got ${JSON.stringify(text)}`, [
      `${field}: expected "host:port" or a ws:// or wss:// URL`,
    ]);
  }
  const port = Number(match[2]);
  if (port < 1 || port > MAX_PORT) {
    throw new SitrepError('invalid-argument', `${field}: port ${match[2]} is not between 1 and ${MAX_PORT}`, [`${field}: port out of range`]);
  }
  return { host: match[1].replace(/^\[|\]$/g, '').toLowerCase(), port, tls: scheme?.[1].toLowerCase() === 'wss' };
}

/** "host:port" (IPv6 in brackets), with "wss://" in front when the relay uses TLS. */
export function formatRelayAddress(address: RelayAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.tls ? 'wss://' : ''}${host}:${address.port}`;
}

export function relayUrl(address: RelayAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.tls ? 'wss' : 'ws'}://${host}:${address.port}/`;
}
