/**
 * The console asks its core to reconnect its relays at once when the network comes back (the
 * window's 'online' event), in browser mode and in the Electron window alike; a read-only view
 * never asks. Real cores and a real relay on 127.0.0.1.
 */
import { render } from '@testing-library/react';
import type { ConsoleApi } from '../../renderer/api/console-api';
import { ReconnectWhenOnline } from '../../renderer/app/ReconnectWhenOnline';
import { ConsoleStoresProvider, createConsoleStores } from '../../renderer/state/console-stores';
import { openCore, relayAddress, startTestRelay, status, stopRelay, waitFor } from '../integration/sync/sync-harness';
import { inProcessApi } from '../support/in-process-api';
import { renderConsole } from '../support/render-console';
import type { Core } from '../../electron/core/core';

/** Each retry waits a random time up to an hour: without the 'online' event the console stays offline. */
const ASLEEP = { backoffBaseMs: 3_600_000, backoffCapMs: 3_600_000, healthyAfterMs: 3_600_000 };

async function offlineWithRelayBack(): Promise<{ core: Core; incidentId: string }> {
  const relay = await startTestRelay();
  const core = openCore(undefined, 'Ana', { sync: ASLEEP });
  const { incidentId } = core.call('incidents.declare', { title: 'Office network flapping', severity: 'P2' });
  core.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  await waitFor(() => status(core, incidentId).state === 'live', 'live');
  await stopRelay(relay);
  await waitFor(() => status(core, incidentId).state === 'offline', 'offline, waiting out its backoff');
  await startTestRelay(relay.dataDir, relay.port);
  return { core, incidentId };
}

it("reconnects the core's relays at once when the network comes back", async () => {
  const { core, incidentId } = await offlineWithRelayBack();
  renderConsole(<ReconnectWhenOnline />, core);
  const seen: string[] = [];
  core.subscribe((event) => event.type === 'sync-changed' && seen.push(status(core, incidentId).state));
  window.dispatchEvent(new Event('online'));
  await waitFor(() => status(core, incidentId).state === 'live', 'live again');
  expect(seen).toContain('connecting');
});

it('a read-only view does not ask', () => {
  const api = inProcessApi(openCore(undefined, 'Wall'), 'read');
  const asked: string[] = [];
  const recording: ConsoleApi = { ...api, invoke: (method, args) => (asked.push(method), api.invoke(method, args)) };
  render(
    <ConsoleStoresProvider stores={createConsoleStores(recording)}>
      <ReconnectWhenOnline />
    </ConsoleStoresProvider>,
  );
  window.dispatchEvent(new Event('online'));
  expect(asked).not.toContain('sync.reconnect');
});
