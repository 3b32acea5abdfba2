/**
 * A store that fails its check at start-up (database.ts) is never opened, repaired or replaced
 * silently: the start fails with this error, which names the newest backup that passes
 * `integrity_check` (a damaged newer one is skipped) and the exact command that restores it.
 * `details[0]` holds that backup's path, so the error keeps it across the Electron core's port.
 */
import { SitrepError } from '../../../shared/errors';
import { newestGoodBackup } from './backup';

/** Quotes a path for a POSIX shell only when it needs it. */
const shellWord = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

export const restoreCommand = (dataDir: string, backup: string): string => `sitrep restore --from ${shellWord(backup)} --data-dir ${shellWord(dataDir)}`;

export class CorruptStoreError extends SitrepError {
  readonly newestGoodBackup: string | null;

  constructor(cause: SitrepError, dataDir: string, backup: string | null) {
    super(
      'corrupt-database',
      backup
        ? `${cause.message}. The newest good backup is ${backup}; to restore it (the damaged file is kept aside), run:\n  ${restoreCommand(dataDir, backup)}`
        : `${cause.message}. There is no good backup in ${dataDir}/backups.`,
      backup ? [backup] : [],
    );
    this.newestGoodBackup = backup;
  }
}

export const corruptStoreError = (cause: SitrepError, dataDir: string): CorruptStoreError =>
  new CorruptStoreError(cause, dataDir, newestGoodBackup(dataDir)?.file ?? null);

/** The backup a 'corrupt-database' error offers, also after it crossed a process boundary. */
export const offeredBackup = (error: SitrepError): string | null => (error.code === 'corrupt-database' ? (error.details[0] ?? null) : null);
