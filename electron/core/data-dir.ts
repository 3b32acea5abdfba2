/**
 * Where a device's data folder is when none is given: `--data-dir`, else `SITREP_DATA_DIR`, else the
 * folder Electron's `app.getPath('userData')` would be for an app named Sitrep, computed without
 * importing electron so the CLI and browser mode find the desktop app's data.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Sitrep';

export function electronUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.SITREP_DATA_DIR ?? electronUserDataDir(process.platform, env));
}
