import { useEffect, useId, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { SEVERITIES } from '../../shared/playbook/schema';
import { DIRECTORY_HREF, JOIN_HREF, navigate, REVIEW_HREF, wallHref, type Route } from '../app/route';
import { FOCUS_QUICK_ENTRY_EVENT, OPEN_EXPORT_DIALOG_EVENT, OPEN_SHARE_DIALOG_EVENT, SHORTCUT_HELP } from '../app/shortcuts';
import { bytesFromBase64, saveFile } from '../files/save-file';
import { useAction, useApi, useCanWrite, useOpenIncident, useStores, useTimeline } from '../state/console-stores';
import '../styles/command-palette.css';

/** One thing the palette can do. */
interface PaletteCommand {
  id: string;
  label: string;
  /** Extra words the filter matches ("sev", "new"). */
  keywords?: string;
  /** The single-key shortcut that does the same, shown beside it. */
  shortcut?: string;
  /** Hidden in a read-only view. */
  writes: boolean;
  run(): unknown;
}

const STATUS_COMMANDS = ['mitigated', 'resolved'] as const;

/** Every word typed must appear in the command's label or keywords, in any order. */
function matches(command: PaletteCommand, query: string): boolean {
  const haystack = `${command.label} ${command.keywords ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The frequent actions, for the screen on show; write actions only where this view may write. */
function usePaletteCommands(route: Route, declareIncident: () => void): PaletteCommand[] {
  const api = useApi();
  const act = useAction();
  const { clock, timeline, theme, notices } = useStores();
  const view = useOpenIncident((s) => s.view);
  const canWrite = useCanWrite();
  const starredOnly = useTimeline((s) => s.filter.starredOnly);

  const commands: PaletteCommand[] = [
    { id: 'go-to-incidents', label: 'Go to incidents', keywords: 'list home', shortcut: 'G I', writes: false, run: () => navigate('#/') },
    { id: 'declare-incident', label: 'Declare incident', keywords: 'new', shortcut: 'N', writes: true, run: declareIncident },
  ];
  if (route.screen !== 'wall' && route.screen !== 'directory') {
    commands.push({ id: 'go-to-directory', label: 'Open team directory', keywords: 'phone contacts vendors runbooks people', writes: false, run: () => navigate(DIRECTORY_HREF) });
  }
  // Joining writes on this device only (a key, a relay, a name), so it depends on the connection alone.
  if (api.access === 'write' && route.screen !== 'wall') {
    commands.push({ id: 'join-incident', label: 'Join incident…', keywords: 'link paste invite relay', writes: false, run: () => navigate(JOIN_HREF) });
  }
  const state = route.screen === 'incidents' || route.screen === 'review' ? null : view?.state;
  if (!state) {
    if (route.screen !== 'wall') commands.push({ id: 'open-wall-display', label: 'Open wall display', shortcut: 'W', writes: false, run: () => navigate('#/wall') });
  } else {
    const incidentId = state.id;
    if (route.screen !== 'wall') {
      commands.push({ id: 'open-wall-display', label: 'Open wall display', shortcut: 'W', writes: false, run: () => navigate(wallHref(incidentId)) });
    }
    const phases = state.playbook.phases;
    const nextPhase = phases[phases.findIndex((p) => p.id === state.phase) + 1];
    if (nextPhase) {
      commands.push({
        id: 'next-phase',
        label: `Next phase: ${nextPhase.title}`,
        keywords: 'advance',
        writes: true,
        run: () => act(() => api.invoke('incidents.advancePhase', { incidentId })),
      });
    }
    for (const severity of SEVERITIES) {
      if (severity === state.severity) continue;
      const definition = state.playbook.severities.find((s) => s.id === severity);
      commands.push({
        id: `set-severity-${severity}`,
        label: `Set severity ${severity}${definition ? ` (${definition.label})` : ''}`,
        keywords: 'sev escalate downgrade',
        writes: true,
        run: () => act(() => api.invoke('incidents.setField', { incidentId, field: 'severity', value: severity })),
      });
    }
    for (const status of STATUS_COMMANDS) {
      if (status === state.status) continue;
      commands.push({
        id: `set-status-${status}`,
        label: `Set status ${status}`,
        writes: true,
        run: () => act(() => api.invoke('incidents.setField', { incidentId, field: 'status', value: status })),
      });
    }
    if (!state.milestones.teamNotified) {
      commands.push({
        id: 'mark-team-notified',
        label: 'Mark team notified',
        keywords: 'milestone',
        writes: true,
        run: () => act(() => api.invoke('incidents.setMilestone', { incidentId, milestone: 'teamNotified', at: clock.getState().now })),
      });
    }
    if (!state.milestones.rootCauseIdentified) {
      commands.push({
        id: 'mark-root-cause-identified',
        label: 'Mark root cause identified',
        keywords: 'milestone',
        writes: true,
        run: () => act(() => api.invoke('incidents.setMilestone', { incidentId, milestone: 'rootCauseIdentified', at: clock.getState().now })),
      });
    }
    if (!state.postMortemFinal && (state.status === 'resolved' || state.status === 'closed')) {
      commands.push({
        id: 'mark-post-mortem-final',
        label: 'Mark post-mortem final',
        keywords: 'milestone review done',
        writes: true,
        run: () => act(() => api.invoke('incidents.markPostMortemFinal', { incidentId })),
      });
    }
    if (route.screen === 'incident') {
      commands.push({
        id: 'export-incident',
        label: 'Export incident…',
        keywords: 'post-mortem postmortem markdown html pdf csv json download report',
        writes: false,
        run: () => window.dispatchEvent(new Event(OPEN_EXPORT_DIALOG_EVENT)),
      });
      commands.push({
        id: 'share-incident',
        label: 'Share incident…',
        keywords: 'link qr relay invite host',
        writes: true,
        run: () => window.dispatchEvent(new Event(OPEN_SHARE_DIALOG_EVENT)),
      });
      commands.push({
        id: 'focus-quick-entry',
        label: 'Focus timeline entry',
        keywords: 'add note write quick',
        writes: true,
        run: () => window.dispatchEvent(new Event(FOCUS_QUICK_ENTRY_EVENT)),
      });
      commands.push({
        id: 'export-evidence-bundle',
        label: 'Export evidence bundle',
        keywords: 'save signed ops verify audit file',
        writes: false,
        run: () =>
          act(async () => {
            const exported = await api.invoke('evidence.export', { incidentId });
            saveFile({ name: exported.fileName, type: 'application/octet-stream', content: bytesFromBase64(exported.bundle) });
          }),
      });
      commands.push({
        id: 'toggle-starred-only',
        label: starredOnly ? 'Show all entries' : 'Show starred entries only',
        keywords: 'toggle star filter timeline',
        writes: false,
        run: () => act(() => timeline.getState().setFilter({ starredOnly: !starredOnly })),
      });
    }
  }
  if (route.screen !== 'wall') {
    commands.push({ id: 'open-review', label: 'Open response review', keywords: 'metrics mttd mtta mttr trends monthly', writes: false, run: () => navigate(REVIEW_HREF) });
  }
  if (api.access === 'write' && route.screen !== 'wall') {
    // A backup copies this device's store: like joining, it depends on the connection alone.
    commands.push({
      id: 'back-up-now',
      label: 'Back up the store now',
      keywords: 'backup save copy database',
      writes: false,
      run: () =>
        act(async () => {
          const taken = await api.invoke('backups.take', {});
          notices.getState().push('info', `Backup saved: ${taken.file}`);
        }),
    });
  }
  // The wall display keeps its dark colours whatever the theme.
  if (route.screen !== 'wall') {
    commands.push({ id: 'switch-theme', label: 'Switch theme', keywords: 'light dark colours colors appearance', writes: false, run: () => theme.getState().toggle() });
  }
  // The wall display is read-only whatever the connection may do; with no incident open, declaring
  // is all there is to write, and that depends on the connection alone.
  const readOnly = route.screen === 'wall' || (view ? !canWrite : api.access !== 'write');
  return readOnly ? commands.filter((c) => !c.writes) : commands;
}

/**
 * The command palette: a filter box over the frequent actions; ↑/↓ choose, Enter runs, Escape (or a
 * click outside) closes, and focus goes back where it was unless the action moved it.
 */
export function CommandPalette({ route, declareIncident, onClose }: { route: Route; declareIncident(): void; onClose(): void }) {
  const commands = usePaletteCommands(route, declareIncident);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(0);
  const listId = useId();
  const shown = commands.filter((c) => matches(c, query));
  const active = Math.min(chosen, shown.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    const before = document.activeElement;
    return () => {
      // Only when closing left focus nowhere: an action that focused something keeps it there.
      if ((document.activeElement === null || document.activeElement === document.body) && before instanceof HTMLElement) before.focus();
    };
  }, []);

  const run = (command: PaletteCommand) => {
    onClose();
    void command.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = shown.length;
    switch (event.key) {
      case 'ArrowDown':
        if (count > 0) setChosen((active + 1) % count);
        break;
      case 'ArrowUp':
        if (count > 0) setChosen((active - 1 + count) % count);
        break;
      case 'Enter':
        if (shown[active]) run(shown[active]);
        break;
      case 'Escape':
        onClose();
        break;
      case 'Tab':
        // The dialog is modal: focus stays in the filter box.
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const closeOnBackdrop = (event: MouseEvent<HTMLDivElement>) => {
    if (event.target === event.currentTarget) onClose();
  };

  return (
    <div className="palette-backdrop" onMouseDown={closeOnBackdrop}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <input
          className="palette-filter"
          autoFocus
          role="combobox"
          aria-label="Filter commands"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setChosen(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul className="palette-commands" id={listId} role="listbox" aria-label="Commands">
          {shown.map((command, index) => (
            <li
              key={command.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'palette-command palette-command-active' : 'palette-command'}
              onMouseEnter={() => setChosen(index)}
              onClick={() => run(command)}
            >
              <span>{command.label}</span>
              {command.shortcut && <kbd>{command.shortcut}</kbd>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && <p className="palette-empty muted">No command matches “{query}”.</p>}
        <section className="palette-help" aria-label="Keyboard shortcuts">
          <dl>
            {SHORTCUT_HELP.map((help) => (
              <div key={help.keys}>
                <dt>
                  <kbd>{help.keys}</kbd>
                </dt>
                <dd>{help.description}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </div>
  );
}
