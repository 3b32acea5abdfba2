import { useEffect, useMemo } from 'react';
import type { ConsoleApi } from '../api/console-api';
import { DirectoryScreen } from '../components/DirectoryScreen';
import { IncidentList } from '../components/IncidentList';
import { IncidentScreen } from '../components/IncidentScreen';
import { Notices } from '../components/Notices';
import { ReviewScreen } from '../components/ReviewScreen';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { ReconnectWhenOnline } from './ReconnectWhenOnline';
import { WallDisplay } from '../components/WallDisplay';
import { ConsoleStoresProvider, createConsoleStores, useStores } from '../state/console-stores';
import { useRoute } from './route';

/** The whole console for one api connection: its stores, the routes, the notices. */
export function App({ api }: { api: ConsoleApi }) {
  const stores = useMemo(() => createConsoleStores(api), [api]);
  return (
    <ConsoleStoresProvider stores={stores}>
      <Console />
    </ConsoleStoresProvider>
  );
}

function Console() {
  const route = useRoute();
  const { incidents } = useStores();
  useEffect(() => {
    void incidents.getState().refresh();
  }, [incidents]);
  return (
    <>
      {route.screen === 'incidents' && <IncidentList />}
      {route.screen === 'incident' && <IncidentScreen incidentId={route.incidentId} />}
      {route.screen === 'wall' && <WallDisplay incidentId={route.incidentId} />}
      {route.screen === 'review' && <ReviewScreen />}
      {route.screen === 'directory' && <DirectoryScreen />}
      <Notices />
      <KeyboardShortcuts />
      <ReconnectWhenOnline />
    </>
  );
}
