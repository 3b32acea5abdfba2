/** Renders a piece of the console against a real core, with fresh stores, as a person would see it. */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ConsoleStoresProvider, createConsoleStores, type ConsoleStores } from '../../renderer/state/console-stores';
import type { Core } from '../../electron/core/core';
import { inProcessApi } from './in-process-api';

export function renderConsole(ui: ReactElement, core: Core, access: 'write' | 'read' = 'write') {
  const stores: ConsoleStores = createConsoleStores(inProcessApi(core, access));
  const result = render(<ConsoleStoresProvider stores={stores}>{ui}</ConsoleStoresProvider>);
  return { ...result, stores };
}

/** Opens an incident in the stores, as the incident screen does. */
export async function openIncident(stores: ConsoleStores, incidentId: string): Promise<void> {
  await stores.incident.getState().open(incidentId);
  await stores.timeline.getState().open(incidentId);
}
