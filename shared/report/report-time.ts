/** How exports write times: always UTC, ISO 8601 to the second, so a file reads the same anywhere. */

/** `2026-11-29T14:02:05Z`. */
export function utcIso(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-11-29 14:02:05 UTC`: for reading. */
export function utcReadable(at: number): string {
  return `${utcIso(at).replace('T', ' ').slice(0, -1)} UTC`;
}
