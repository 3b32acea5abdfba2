/**
 * Backups while the core runs: on demand and every `everyMs` (DESIGN.md §3; store/backup.ts takes
 * them). Invariants: one backup at a time (a request during one waits for it, then takes its own);
 * the next scheduled one is armed only after the last finished, so they never pile up; the timer
 * never keeps the process alive, and close() disarms it.
 */
import type { BackupInfo, BackupStatus } from '../../shared/model/backup-info';
import { backupsDir, listBackups, takeBackup } from './store/backup';
import type { Db } from './store/database';

export interface BackupScheduleOptions {
  db: Db;
  dataDir: string;
  now: () => number;
  /** null: on demand only. */
  everyMs: number | null;
  keep: number;
}

export interface BackupSchedule {
  takeNow(): Promise<BackupInfo>;
  status(): BackupStatus;
  close(): void;
}

const MS_PER_MINUTE = 60_000;

export function scheduleBackups(options: BackupScheduleOptions): BackupSchedule {
  const { db, dataDir, now, everyMs, keep } = options;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let lastError: string | null = null;

  const takeNow = (): Promise<BackupInfo> => {
    const next = running.then(() => takeBackup(db, dataDir, { at: now(), keep }));
    running = next.catch(() => undefined);
    return next;
  };

  const arm = () => {
    if (closed || everyMs === null) return;
    timer = setTimeout(() => {
      takeNow().then(
        () => void (lastError = null),
        (error: unknown) => void (lastError = error instanceof Error ? error.message : String(error)),
      ).finally(arm);
    }, everyMs);
    timer.unref();
  };
  arm();

  return {
    takeNow,
    status: () => ({
      folder: backupsDir(dataDir),
      backups: listBackups(dataDir),
      everyMinutes: everyMs === null ? null : everyMs / MS_PER_MINUTE,
      keep,
      lastError,
    }),
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
