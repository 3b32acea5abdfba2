/** A backup of the whole store (electron/core/store/backup.ts), as the console lists it. */
export interface BackupInfo {
  /** Absolute path of the backup file. */
  file: string;
  /** UTC ms, from the device clock when it was taken. */
  takenAt: number;
  bytes: number;
}

/** The backups folder and its schedule, for the console. */
export interface BackupStatus {
  folder: string;
  /** Oldest first. */
  backups: BackupInfo[];
  /** Minutes between scheduled backups while the console runs; null when none are scheduled. */
  everyMinutes: number | null;
  /** How many backups rotation keeps. */
  keep: number;
  /** Why the last scheduled backup failed, until one succeeds. */
  lastError: string | null;
}
