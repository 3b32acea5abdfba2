/**
 * The file Electron's main process starts with `utilityProcess.fork` (built beside the main bundle
 * as out/main/utility-process-entry.js): the real core served over `process.parentPort`, Electron's
 * utility-process global, typed here so the core never imports 'electron'.
 *
 * The process exits after `close` (the writer lock is released by then). A core that cannot open
 * is reported with `fatal` by serveCoreOverPort; an uncaught error later is logged and the process
 * exits with code 1, so main restarts it (each write is its own committed transaction).
 */
import { createCore } from '../core';
import type { CoreToMainMessage } from './core-port-protocol';
import { serveCoreOverPort } from './serve-core-over-port';

/** The part of Electron's ParentPort used here; its 'message' listener receives a MessageEvent. */
interface ParentPort {
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  postMessage(message: CoreToMainMessage): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort | null }).parentPort;
if (!parentPort) {
  throw new Error('utility-process-entry runs only in an Electron utilityProcess (process.parentPort is missing)');
}
const port = parentPort;

process.on('uncaughtException', (error) => {
  console.error('sitrep core: uncaught error, exiting for a restart:', error);
  process.exit(1);
});

serveCoreOverPort(
  {
    on: (_event, listener) => port.on('message', (messageEvent) => listener(messageEvent.data)),
    postMessage: (message) => port.postMessage(message),
  },
  (dataDir, keyProtector) => createCore({ dataDir, keyProtector }),
  { onClosed: () => process.exit(0) },
);
