/**
 * The bridge (DESIGN.md §3, §6): exposes exactly `window.sitrep = { invoke, subscribe }`, the api
 * contract over IPC, and nothing of ipcRenderer. Bundled to out/preload/index.cjs with its imports
 * inlined: a sandboxed preload cannot load modules.
 *
 * Invariants:
 * - invoke refuses a name that is not an api method before anything is sent.
 * - A failed call rejects with a plain { name: 'SitrepError', code, message, details } object:
 *   contextBridge copies an Error's message only (electron/electron#25596), a plain object whole,
 *   so the renderer still gets the code and details (renderer/api/electron-api.ts rebuilds a
 *   SitrepError from them).
 * - subscribe hands the listener the event only, never Electron's IPC event object.
 * - Menu commands arrive as DOM events on window ('sitrep:new-incident'), not as api surface.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isApiMethod, type ApiEvent } from '../../shared/api';
import type { SerializedError } from '../../shared/errors';
import { COMMAND_CHANNEL, commandDomEvent, EVENT_CHANNEL, INVOKE_CHANNEL, isMenuCommand, type InvokeReply } from '../main/ipc-channels';

export type BridgeError = SerializedError & { name: 'SitrepError' };

export interface SitrepBridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

const METHOD_SHOWN_CHARS = 80;

const bridgeError = (error: SerializedError): BridgeError => ({
  name: 'SitrepError',
  code: error.code,
  message: error.message,
  details: [...error.details],
});

export const sitrepBridge: SitrepBridge = {
  async invoke(method, args) {
    if (!isApiMethod(method)) {
      throw bridgeError({
        code: 'invalid-argument',
        message: `unknown method ${JSON.stringify(String(method).slice(0, METHOD_SHOWN_CHARS))}`,
        details: [],
      });
    }
    let reply: InvokeReply;
    try {
      reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, args)) as InvokeReply;
    } catch (error) {
      throw bridgeError({ code: 'internal', message: `${method}: ${error instanceof Error ? error.message : String(error)}`, details: [] });
    }
    if (reply.ok) return reply.value;
    throw bridgeError(reply.error);
  },

  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    const forward = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
};

contextBridge.exposeInMainWorld('sitrep', sitrepBridge);

ipcRenderer.on(COMMAND_CHANNEL, (_event: IpcRendererEvent, command: unknown) => {
  if (isMenuCommand(command)) window.dispatchEvent(new Event(commandDomEvent(command)));
});
