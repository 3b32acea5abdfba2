/**
 * Component tests of sync: the console rendered against real cores that sync through real relays
 * on 127.0.0.1 (tests/integration/sync/sync-harness.ts), for the parts that show sync.
 */
import { act, screen } from '@testing-library/react';
import { IncidentHeader } from '../../renderer/components/IncidentHeader';
import { Roster } from '../../renderer/components/Roster';
import { useOpenIncident } from '../../renderer/state/console-stores';
import type { Core } from '../../electron/core/core';
import { openIncident, renderConsole } from './render-console';

/** The incident header and roster of whatever incident the stores have open. */
function HeaderAndRoster() {
  const view = useOpenIncident((s) => s.view);
  return view ? (
    <>
      <IncidentHeader view={view} />
      <Roster />
    </>
  ) : null;
}

/** Renders the header and roster of an incident on `core`, as its incident screen shows them. */
export async function showIncident(core: Core, incidentId: string, access: 'write' | 'read' = 'write') {
  const rendered = renderConsole(<HeaderAndRoster />, core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  return rendered;
}

/** The sync line of the header. */
export const syncLine = () => screen.getByRole('region', { name: 'Sync' });
