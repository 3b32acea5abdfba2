/**
 * Typed errors that cross the api boundary. The UI maps `code` to a message and tests assert on it;
 * nobody matches on message text. `message` says what was wrong and where, for a person to read.
 */
export const ERROR_CODES = [
  'invalid-argument',
  'not-found',
  'read-only',
  'already-in-use',
  'not-a-database',
  'corrupt-database',
  'invalid-playbook',
  'op-rejected',
  'key-store-unreadable',
  'missing-key',
  /** An evidence bundle that is truncated, of another version or does not verify; details name each problem. */
  'invalid-bundle',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class SitrepError extends Error {
  readonly code: ErrorCode;
  /** Field paths or other specifics, e.g. ["phases[2].checklist[0].title: required"]. */
  readonly details: string[];

  constructor(code: ErrorCode, message: string, details: string[] = []) {
    super(message);
    this.name = 'SitrepError';
    this.code = code;
    this.details = details;
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details: string[];
}

export const serializeError = (error: unknown): SerializedError =>
  error instanceof SitrepError
    ? { code: error.code, message: error.message, details: error.details }
    : { code: 'internal', message: error instanceof Error ? error.message : String(error), details: [] };

export const deserializeError = (e: SerializedError): SitrepError => new SitrepError(e.code, e.message, e.details);
