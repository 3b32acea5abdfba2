import { useCallback, useEffect, useState } from 'react';
import { CommandPalette } from '../components/CommandPalette';
import { useApi } from '../state/console-stores';
import { navigate, useRoute, wallHref } from './route';
import { createShortcutReader, NEW_INCIDENT_EVENT, pressDeclaredShortcut, TARGET_WAIT_MS } from './shortcuts';

/**
 * The console's keyboard, mounted once inside the stores' provider: reads the shortcuts of
 * shortcuts.ts from window key presses, opens the command palette, and carries out the Electron
 * menu's "New Incident…" like the `n` key.
 */
export function KeyboardShortcuts() {
  const route = useRoute();
  const api = useApi();
  const [reader] = useState(createShortcutReader);
  const [paletteOpen, setPaletteOpen] = useState(false);

  const declareIncident = useCallback(() => {
    if (api.access !== 'write') return;
    if (route.screen !== 'incidents') navigate('#/');
    pressDeclaredShortcut('n', TARGET_WAIT_MS);
  }, [api, route.screen]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = reader.read(event);
      if (!command) return;
      event.preventDefault();
      switch (command) {
        case 'toggle-palette':
          setPaletteOpen((open) => !open);
          break;
        case 'open-help':
          setPaletteOpen(true);
          break;
        case 'declare-incident':
          if (route.screen === 'incidents') pressDeclaredShortcut('n');
          break;
        case 'go-to-incidents':
          navigate('#/');
          break;
        case 'open-wall-display':
          if (route.screen === 'incident') navigate(wallHref(route.incidentId));
          else if (route.screen === 'incidents') navigate('#/wall');
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [reader, route]);

  useEffect(() => {
    window.addEventListener(NEW_INCIDENT_EVENT, declareIncident);
    return () => window.removeEventListener(NEW_INCIDENT_EVENT, declareIncident);
  }, [declareIncident]);

  return paletteOpen ? <CommandPalette route={route} declareIncident={declareIncident} onClose={() => setPaletteOpen(false)} /> : null;
}
