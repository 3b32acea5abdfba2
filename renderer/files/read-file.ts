/**
 * Reads a file the person picked (an evidence bundle) as the base64 the api takes for binary
 * arguments. Encoded in chunks, so a large file never becomes one giant argument list.
 */

/** Bytes per String.fromCharCode call: well under every engine's argument limit. */
const CHUNK_BYTES = 0x8000;

export function base64FromBytes(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK_BYTES));
  return btoa(binary);
}

export async function readFileAsBase64(file: Blob): Promise<string> {
  return base64FromBytes(new Uint8Array(await file.arrayBuffer()));
}
