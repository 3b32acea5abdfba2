/**
 * The IPC channels between the preload and the main process, shared by both (no 'electron' import,
 * so the sandboxed preload bundle stays small).
 *
 * renderer → main   'sitrep:invoke'  (method, args)  answered with an InvokeReply
 * main → renderer   'sitrep:event'   ApiEvent        the core's pushes, to every window
 * main → renderer   'sitrep:command' MenuCommand     a menu item the renderer carries out; the
 *                                                    preload re-dispatches it on `window` as the
 *                                                    DOM event 'sitrep:<command>' (no detail: an
 *                                                    event's type is all that crosses worlds intact)
 *
 * Invariants: the reply is an envelope, never a thrown error, so the error's code and details survive
 * the trip (ipcMain.handle would keep only the message); `window.sitrep` stays invoke + subscribe.
 */
import type { SerializedError } from '../../shared/errors';

export const INVOKE_CHANNEL = 'sitrep:invoke';
export const EVENT_CHANNEL = 'sitrep:event';
export const COMMAND_CHANNEL = 'sitrep:command';

export type InvokeReply = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** Commands the application menu sends to the renderer. */
export const MENU_COMMANDS = ['new-incident'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const isMenuCommand = (value: unknown): value is MenuCommand => MENU_COMMANDS.includes(value as MenuCommand);

/** The DOM event the preload dispatches on `window` for a menu command, e.g. 'sitrep:new-incident'. */
export const commandDomEvent = (command: MenuCommand): string => `sitrep:${command}`;
