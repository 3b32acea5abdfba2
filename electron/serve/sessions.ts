/**
 * Browser mode's access tokens and sessions (DESIGN.md §3).
 *
 * Invariants: a token is only ever exchanged, once per browser, for an HttpOnly SameSite=Strict
 * session cookie (the clean URL carries no secret); the session id is random and distinct from the
 * token; the write token grants write, the read token read; nothing here is stored on disk, so a
 * restart of `sitrep serve` prints new URLs and old cookies stop working.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export type Access = 'write' | 'read';

export const SESSION_COOKIE = 'sitrep_session';
const TOKEN_BYTES = 32;

const newSecret = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface Sessions {
  readonly writeToken: string;
  readonly readToken: string;
  readonly testClockToken: string;
  /** A new session for a valid token, else undefined. */
  exchange(token: string): { id: string; access: Access } | undefined;
  accessOf(sessionId: string | undefined): Access | undefined;
}

export function createSessions(): Sessions {
  const writeToken = newSecret();
  const readToken = newSecret();
  const testClockToken = newSecret();
  const sessions = new Map<string, Access>();
  return {
    writeToken,
    readToken,
    testClockToken,
    exchange(token) {
      const access: Access | undefined = sameSecret(token, writeToken) ? 'write' : sameSecret(token, readToken) ? 'read' : undefined;
      if (!access) return undefined;
      const id = newSecret();
      sessions.set(id, access);
      return { id, access };
    },
    accessOf: (id) => (id === undefined ? undefined : sessions.get(id)),
  };
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}
