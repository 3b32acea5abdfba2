/**
 * When the core refuses a corrupt store and names its newest good backup (core/store/corrupt-store),
 * the shell offers that backup in a dialog. Restoring keeps the damaged file aside (store/restore.ts)
 * and takes the writer lock, which the failed core released before it reported. Nothing is restored
 * without the person's yes.
 */
import type { Dialog } from 'electron';
import type { SitrepError } from '../../shared/errors';
import { offeredBackup } from '../core/store/corrupt-store';
import { restoreStore } from '../core/store/restore';

const RESTORE_BUTTON = 0;
const QUIT_BUTTON = 1;

/** Asks, and restores on yes; true when the store was restored and the core may be started again. */
export async function offerRestore(dialog: Pick<Dialog, 'showMessageBox'>, dataDir: string, error: SitrepError, now = Date.now): Promise<boolean> {
  const backup = offeredBackup(error);
  if (!backup) return false;
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Sitrep’s store is damaged',
    message: 'The incident store on this device is damaged. Restore the newest good backup?',
    detail: `Backup: ${backup}\n\nThe damaged store is kept aside, not deleted. Anything written after this backup was taken is not in it; a shared incident catches up from its relay.\n\n${error.message}`,
    buttons: ['Restore this backup', 'Quit'],
    defaultId: RESTORE_BUTTON,
    cancelId: QUIT_BUTTON,
    noLink: true,
  });
  if (response !== RESTORE_BUTTON) return false;
  restoreStore(dataDir, backup, now());
  return true;
}
