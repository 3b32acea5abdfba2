/**
 * Who may talk to browser mode (DESIGN.md §3): only requests addressed to a host name we serve
 * (127.0.0.1, localhost, or the --host name, with our port) — which defeats DNS rebinding — and,
 * for the api WebSocket, only pages of our own origin.
 */
import net from 'node:net';

export interface ServedHost {
  port: number;
  /** The --host name when listening beyond loopback. */
  extraHost?: string;
  secure: boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(served: ServedHost): Set<string> {
  const names = [...LOOPBACK_NAMES, ...(served.extraHost ? [net.isIPv6(served.extraHost) ? `[${served.extraHost}]` : served.extraHost] : [])];
  return new Set(names.map((n) => `${n}:${served.port}`.toLowerCase()));
}

export function hostAllowed(hostHeader: string | undefined, allowed: Set<string>): boolean {
  return hostHeader !== undefined && allowed.has(hostHeader.toLowerCase());
}

/** The WebSocket's Origin must be the very origin the page was served from. */
export function originAllowed(originHeader: string | undefined, hostHeader: string | undefined, served: ServedHost): boolean {
  if (!originHeader || !hostHeader) return false;
  return originHeader.toLowerCase() === `${served.secure ? 'https' : 'http'}://${hostHeader.toLowerCase()}`;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || plain.startsWith('127.');
}
