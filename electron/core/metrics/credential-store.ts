/**
 * This device's metric source credentials (basic auth, bearer tokens), in `source-credentials.json`
 * beside, never inside, the SQLite file, so no op, materialised row or database backup holds one.
 *
 * Invariants: the file is mode 0600 and its bytes are `protector.seal(JSON)` (the key store's
 * protector); every write is atomic (temporary file fsynced, renamed over); an unreadable file is
 * refused, never written over.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SitrepError } from '../../../shared/errors';
import { sourceCredentialsSchema, type SourceCredentials } from '../../../shared/model/source-credentials';
import { writeFileAtomically } from '../atomic-file';
import type { KeyProtector } from '../key-store';

export const CREDENTIALS_FILE = 'source-credentials.json';
const CREDENTIALS_FORMAT = 1;
const FILE_MODE = 0o600;

const fileSchema = z.object({ format: z.literal(CREDENTIALS_FORMAT), sources: z.record(z.string(), sourceCredentialsSchema) });
type CredentialFile = z.infer<typeof fileSchema>;

export interface CredentialStore {
  get(incident: string, source: string): SourceCredentials;
  set(incident: string, source: string, credentials: SourceCredentials): void;
}

const keyOf = (incident: string, source: string) => `${incident}/${source}`;

export function openCredentialStore(dataDir: string, protector: KeyProtector): CredentialStore {
  const path = join(dataDir, CREDENTIALS_FILE);
  const read = (): CredentialFile => {
    let sealed: Uint8Array;
    try {
      sealed = readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: CREDENTIALS_FORMAT, sources: {} };
      throw new SitrepError('internal', `${path} cannot be read (${(error as Error).message})`);
    }
    try {
      return fileSchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(protector.unseal(sealed))));
    } catch (error) {
      throw new SitrepError('internal', `${path} is not a readable credential file (${(error as Error).message}); it is left as it is`);
    }
  };
  const write = (file: CredentialFile) => writeFileAtomically(path, protector.seal(new TextEncoder().encode(JSON.stringify(file))), FILE_MODE);
  return {
    get: (incident, source) => read().sources[keyOf(incident, source)] ?? { kind: 'none' },
    set(incident, source, credentials) {
      const file = read();
      if (credentials.kind === 'none') delete file.sources[keyOf(incident, source)];
      else file.sources[keyOf(incident, source)] = credentials;
      write(file);
    },
  };
}
