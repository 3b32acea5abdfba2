/**
 * Early reconnect when the machine wakes (DESIGN.md §5 "Connections"): on powerMonitor's
 * 'resume' the core's relay connections dial again at once (api sync.reconnect), instead of
 * waiting out backoff delays chosen before the sleep, with sockets that may have died during it.
 */
import type { SitrepApi } from '../../shared/api';

/** The part of Electron's powerMonitor used here (available once the app is ready). */
export interface ResumeSource {
  on(event: 'resume', listener: () => void): unknown;
}

export function reconnectOnResume(powerMonitor: ResumeSource, core: Pick<SitrepApi, 'invoke'>, log: (line: string) => void = console.error): void {
  powerMonitor.on('resume', () => {
    core.invoke('sync.reconnect', {}).catch((error: unknown) => log(`sitrep: reconnecting to relays after resume failed: ${String(error)}`));
  });
}
