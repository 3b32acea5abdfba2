/** Renders a piece of the console against a real core, with fresh stores, as a person would see it. */
import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConsoleStoresProvider, createConsoleStores, type ConsoleStores, type ConsoleStoresOptions } from '../../renderer/state/console-stores';
import type { Core } from '../../electron/core/core';
import type { FakeClock } from './cores';
import { inProcessApi } from './in-process-api';

/**
 * `now`: the clock the console's countdowns read; give the core's (`testCore().clock.now`) so the
 * screen and the core agree on the time, and move both with moveClockTo.
 */
export function renderConsole(ui: ReactElement, core: Core, access: 'write' | 'read' = 'write', options: ConsoleStoresOptions = {}) {
  const stores: ConsoleStores = createConsoleStores(inProcessApi(core, access), options);
  const result = render(<ConsoleStoresProvider stores={stores}>{ui}</ConsoleStoresProvider>);
  return { ...result, stores };
}

/** Opens an incident in the stores, as the incident screen does. */
export async function openIncident(stores: ConsoleStores, incidentId: string): Promise<void> {
  await stores.incident.getState().open(incidentId);
  await stores.timeline.getState().open(incidentId);
  await stores.sync.getState().open(incidentId);
}

/**
 * Sets the fake clock (the core's, and the console's when rendered with `{ now: clock.now }`) to
 * `at`, and ticks the console at once rather than within the second; whatever the tick starts
 * (a notification) finishes inside act.
 */
export async function moveClockTo(stores: ConsoleStores, clock: FakeClock, at: number): Promise<void> {
  await act(async () => {
    clock.set(at);
    stores.clock.getState().tick();
  });
}
