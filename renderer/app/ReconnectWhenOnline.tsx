import { useEffect } from 'react';
import { useApi } from '../state/console-stores';

/**
 * When this computer's network comes back (the window's 'online' event: browser mode, and the
 * Electron window too), the core's relay connections dial again at once instead of waiting out
 * their backoff. Electron's main process does the same on wake from sleep (wake-reconnect.ts).
 * Only a session that may act on the device asks; a read-only view (the wall) never does.
 */
export function ReconnectWhenOnline() {
  const api = useApi();
  useEffect(() => {
    if (api.access !== 'write') return;
    const online = () => void api.invoke('sync.reconnect', {}).catch(() => undefined);
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [api]);
  return null;
}
