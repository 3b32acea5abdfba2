/**
 * The application menu. Items that act on the console (New incident) are commands sent to the
 * focused console window, which carries them out like its own keyboard shortcut; the main process
 * itself only opens windows and uses Electron's built-in roles.
 *
 * Reload and the developer tools exist only in development: in production a reload would drop what
 * the person was typing and devtools would be a way around the renderer's restrictions.
 */
import { Menu, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { COMMAND_CHANNEL, type MenuCommand } from './ipc-channels';

export interface MenuActions {
  /** Sends a command to the console window the person is working in. */
  sendCommand(command: MenuCommand): void;
  openWallDisplay(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  isDev: boolean;
  actions: MenuActions;
}

export function applicationMenuTemplate({ platform, isDev, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = mac ? [{ role: 'appMenu' }] : [];
  const devItems: MenuItemConstructorOptions[] = isDev ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] : [];

  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        { label: 'New Incident…', accelerator: 'CmdOrCtrl+N', click: () => actions.sendCommand('new-incident') },
        { type: 'separator' },
        { label: 'Open Wall Display', click: () => actions.openWallDisplay() },
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...devItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    {
      role: 'help',
      submenu: [{ role: 'about', label: 'About Sitrep' }],
    },
  ];
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(options)));
}

/** Sends a menu command to a console window's renderer. */
export function sendMenuCommand(contents: Pick<WebContents, 'send' | 'isDestroyed'> | undefined, command: MenuCommand): void {
  if (contents && !contents.isDestroyed()) contents.send(COMMAND_CHANNEL, command);
}
