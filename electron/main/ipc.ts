/**
 * The IPC adapter between renderers and the core (DESIGN.md §6): one channel, 'sitrep:invoke',
 * carrying (method, args), and the core's events pushed to every window on 'sitrep:event'.
 *
 * Invariants:
 * - A call is served only from a trusted sender: the top frame of a page at the app's own URL
 *   (parsed, never prefix-matched). Anything else is refused with a plain error and reaches nothing.
 * - method must be an api method and args a plain object; the core then validates args with zod.
 * - The wall display's windows may call READ_METHODS only ('read-only' otherwise), decided by the
 *   window that sent the call, never by anything the page says about itself.
 * - Answers are InvokeReply envelopes: a failure keeps its SerializedError code and details.
 */
import { BrowserWindow, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isApiMethod, READ_METHODS, type ApiArgs, type ApiMethod, type SitrepApi } from '../../shared/api';
import { serializeError, type ErrorCode } from '../../shared/errors';
import { isSameAppUrl } from './app-url';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from './ipc-channels';

export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

export interface IpcPolicy {
  isTrustedSender(event: SenderEvent): boolean;
  isWallSender(event: SenderEvent): boolean;
  /** The renderers the core's events go to; by default every window's web contents. */
  renderers?: () => Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>;
}

export type IpcCore = Pick<SitrepApi, 'invoke' | 'subscribe'>;

const METHOD_SHOWN_CHARS = 80;

/** Registers the invoke handler and the event forwarding; returns a function undoing both. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, core: IpcCore, policy: IpcPolicy): () => void {
  const renderers = policy.renderers ?? (() => BrowserWindow.getAllWindows().map((window) => window.webContents));

  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, args: unknown): Promise<InvokeReply> => {
    if (!policy.isTrustedSender(event)) {
      throw new Error('refused: this page may not call the Sitrep api');
    }
    if (!isApiMethod(method)) {
      return refused('invalid-argument', `unknown method ${JSON.stringify(String(method).slice(0, METHOD_SHOWN_CHARS))}`);
    }
    if (!isPlainObject(args)) {
      return refused('invalid-argument', `${method}: the arguments must be an object`);
    }
    if (policy.isWallSender(event) && !READ_METHODS.has(method)) {
      return refused('read-only', `${method}: the wall display is read-only`);
    }
    try {
      return { ok: true, value: await core.invoke(method, args as ApiArgs<ApiMethod>) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  });

  const unsubscribe = core.subscribe((event) => {
    for (const contents of renderers()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}

/** A sender check for the app at `appUrl`: the sending frame is a top frame showing the app. */
export function trustedSenderOf(appUrl: string): (event: SenderEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return !!frame && frame.parent === null && isSameAppUrl(frame.url, appUrl);
  };
}

function refused(code: ErrorCode, message: string): InvokeReply {
  return { ok: false, error: { code, message, details: [] } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
