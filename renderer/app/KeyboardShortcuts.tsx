import { useCallback, useEffect, useState } from 'react';
import type { Severity } from '../../shared/playbook/schema';
import { CommandPalette } from '../components/CommandPalette';
import { useAction, useApi, useCanWrite, useOpenIncident } from '../state/console-stores';
import { navigate, useRoute, wallHref } from './route';
import {
  createShortcutReader,
  declaredShortcutTarget,
  focusedTimelineEntry,
  NEW_INCIDENT_EVENT,
  NEXT_PHASE_SHORTCUT,
  pressDeclaredShortcut,
  severityOf,
  STAR_SHORTCUT,
  TARGET_WAIT_MS,
} from './shortcuts';

/**
 * The console's keyboard, mounted once inside the stores' provider: reads the shortcuts of
 * shortcuts.ts from window key presses, opens the command palette, and carries out the Electron
 * menu's "New Incident…" like the `n` key.
 */
export function KeyboardShortcuts() {
  const route = useRoute();
  const api = useApi();
  const act = useAction();
  const canWrite = useCanWrite();
  const incident = useOpenIncident((s) => s.view?.state ?? null);
  const [reader] = useState(createShortcutReader);
  const [paletteOpen, setPaletteOpen] = useState(false);

  const declareIncident = useCallback(() => {
    if (api.access !== 'write') return;
    if (route.screen !== 'incidents') navigate('#/');
    pressDeclaredShortcut('n', TARGET_WAIT_MS);
  }, [api, route.screen]);

  // Changes to the incident: on its own screen only (never the wall) and only where this view may write.
  const mayChangeIncident = route.screen === 'incident' && canWrite && incident !== null;

  const setSeverity = useCallback(
    (severity: Severity) => {
      if (!mayChangeIncident || !incident || incident.severity === severity) return;
      void act(() => api.invoke('incidents.setField', { incidentId: incident.id, field: 'severity', value: severity }));
    },
    [act, api, incident, mayChangeIncident],
  );

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
        case 'star-entry': {
          const entry = focusedTimelineEntry();
          if (mayChangeIncident && entry) declaredShortcutTarget(STAR_SHORTCUT, entry)?.click();
          break;
        }
        case 'next-phase':
          if (mayChangeIncident) pressDeclaredShortcut(NEXT_PHASE_SHORTCUT);
          break;
        default: {
          const severity = severityOf(command);
          if (severity) setSeverity(severity);
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [reader, route, mayChangeIncident, setSeverity]);

  useEffect(() => {
    window.addEventListener(NEW_INCIDENT_EVENT, declareIncident);
    return () => window.removeEventListener(NEW_INCIDENT_EVENT, declareIncident);
  }, [declareIncident]);

  return paletteOpen ? <CommandPalette route={route} declareIncident={declareIncident} onClose={() => setPaletteOpen(false)} /> : null;
}
