/**
 * Real cores on temporary folders, with a fake clock each, and a way to share an incident between
 * them without a network: copy the write secret (as a pasted write link would) and the signed ops.
 */
import { createCore, type Core } from '../../electron/core/core';
import { incidentOps } from '../../electron/core/op-log';
import { tempDir } from './temp-dir';

export const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);

export interface FakeClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

export interface TestCore {
  core: Core;
  clock: FakeClock;
  dataDir: string;
}

const open: Core[] = [];

export function testCore(options: { name?: string; start?: number; dataDir?: string } = {}): TestCore {
  const clock = fakeClock(options.start);
  const dataDir = options.dataDir ?? tempDir();
  const core = createCore({ dataDir, now: clock.now });
  open.push(core);
  if (options.name) core.call('device.setName', { name: options.name });
  return { core, clock, dataDir };
}

/** Gives `to` the incident's write secret and every op `from` holds of it. */
export function shareIncident(from: Core, to: Core, incidentId: string): void {
  const secret = from.context.keys.incidentSecret(incidentId);
  if (!secret) throw new Error(`${from.dataDir} holds no key for ${incidentId}`);
  to.context.keys.putIncidentSecret(incidentId, secret.access, secret.secret);
  to.ingest(incidentOps(from.context.db, incidentId));
}

/** Every op a core holds of an incident, as signed bytes. */
export const opsOf = (core: Core, incidentId: string): Uint8Array[] => incidentOps(core.context.db, incidentId);

afterAll(() => {
  for (const core of open.splice(0)) core.close();
});
