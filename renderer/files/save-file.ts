/**
 * Hands a file the console made (an export, a bundle, a backup copy) to the person: a download in
 * browser mode, the save dialog in Electron (which turns downloads into a save dialog). One path for
 * both, so every export is tested the same way in Chromium.
 */
export interface FileToSave {
  /** File name offered, e.g. "INC-2026-11-29-db-outage.md". */
  name: string;
  /** MIME type, e.g. "text/markdown;charset=utf-8". */
  type: string;
  /** Text, or bytes (base64 from the api is decoded by the caller). */
  content: string | Uint8Array<ArrayBuffer>;
}

export function saveFile(file: FileToSave): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoked on the next turn: the click starts the download synchronously, the URL must outlive it.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** Decodes the base64 the api uses for binary results (PDF, bundles). */
export function bytesFromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}
