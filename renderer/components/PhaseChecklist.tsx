import { useEffect, useId, useState } from 'react';
import type { ChecklistItemView, ChecklistPhaseView, PersonView } from '../../shared/model/views';
import { utcClock, utcDateTime } from '../format/time';
import { useAction, useApi, useCanWrite, useOpenIncident } from '../state/console-stores';
import '../styles/phase-checklist.css';

/** The select's value for "nobody is assigned this item". */
const NO_ASSIGNEE = '';

/** Items in playbook order, grouped under their numbered section ("2.1 Isolate the Issue"). */
function bySection(items: ChecklistItemView[]): Array<[string, ChecklistItemView[]]> {
  const sections = new Map<string, ChecklistItemView[]>();
  for (const item of items) sections.set(item.section, [...(sections.get(item.section) ?? []), item]);
  return [...sections];
}

/**
 * The procedure's checklists: the current phase expanded, every other phase one click away with its
 * done/total count. Each item shows who ticked it and when (UTC), its assignee and a note.
 */
export function PhaseChecklist() {
  const incidentId = useOpenIncident((s) => s.incidentId);
  const phases = useOpenIncident((s) => s.checklist);
  const roster = useOpenIncident((s) => s.roster);
  const canWrite = useCanWrite();
  // Only phases the person opened or closed: the rest follow "current is expanded" as the phase moves.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const baseId = useId();

  if (!incidentId || phases.length === 0) return null;
  const people = (roster?.people ?? []).filter((p) => !p.removed);

  return (
    <section className="panel phase-checklist" aria-labelledby={`${baseId}-heading`}>
      <h2 id={`${baseId}-heading`}>Checklist</h2>
      {phases.map((phase) => {
        const expanded = toggled[phase.phase] ?? phase.current;
        const panelId = `${baseId}-${phase.phase}`;
        return (
          <div key={phase.phase} className={`checklist-phase${phase.current ? ' checklist-phase-current' : ''}`}>
            <h3>
              <button
                type="button"
                className="phase-disclosure"
                aria-expanded={expanded}
                aria-controls={panelId}
                onClick={() => setToggled((t) => ({ ...t, [phase.phase]: !expanded }))}
              >
                <span className="phase-title">{phase.title}</span>
                {phase.current && (
                  <>
                    {' '}
                    <span className="current-phase-mark">current</span>
                  </>
                )}{' '}
                <span className="phase-count">{doneCount(phase)}</span>
              </button>
            </h3>
            {expanded && (
              <section id={panelId} className="phase-items" aria-label={phase.title}>
                {bySection(phase.items).map(([section, items]) => (
                  <div key={section} className="checklist-section">
                    <h4>{section}</h4>
                    <ul>
                      {items.map((item) => (
                        <ChecklistItem key={item.id} item={item} people={people} incidentId={incidentId} canWrite={canWrite} />
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            )}
          </div>
        );
      })}
    </section>
  );
}

function doneCount(phase: ChecklistPhaseView): string {
  return `${phase.items.filter((i) => i.status === 'done').length}/${phase.items.length} done`;
}

function ChecklistItem({ item, people, incidentId, canWrite }: { item: ChecklistItemView; people: PersonView[]; incidentId: string; canWrite: boolean }) {
  const api = useApi();
  const act = useAction();
  const done = item.status === 'done';
  const itemId = item.id;
  // The box shows the click at once; the stored state replaces it when it arrives (or a refusal undoes it).
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  useEffect(() => setOptimistic(null), [done]);
  const shownDone = optimistic ?? done;

  const toggle = async () => {
    setOptimistic(!done);
    const stored = await act(() => api.invoke(done ? 'checklist.untick' : 'checklist.tick', { incidentId, itemId }));
    if (stored === undefined) setOptimistic(null);
  };
  const assign = (personId: string | null) => act(() => api.invoke('checklist.assign', { incidentId, itemId, personId }));
  const saveNote = (note: string) => act(() => api.invoke('checklist.note', { incidentId, itemId, note }));

  return (
    <li className={`checklist-item checklist-item-${item.status}`}>
      <div className="item-main">
        {canWrite ? (
          <label className="inline">
            <input type="checkbox" checked={shownDone} onChange={() => void toggle()} />
            <span className="item-title">{item.title}</span>
          </label>
        ) : (
          <span>
            <span className="item-state">{done ? '✓ done' : 'open'}</span> <span className="item-title">{item.title}</span>
          </span>
        )}
        {item.description && <span className="muted item-description">{item.description}</span>}
      </div>
      <div className="item-meta">
        {done && item.statusBy && item.statusAt !== null && (
          <span className="item-ticked">
            {item.statusBy} ·{' '}
            <time dateTime={new Date(item.statusAt).toISOString()} title={utcDateTime(item.statusAt)}>
              {utcClock(item.statusAt)}
            </time>
          </span>
        )}
        {item.conflicted && <span className="concurrent-mark">changed concurrently</span>}
        {canWrite ? (
          <select
            aria-label={`Assignee of ${item.title}`}
            value={item.assignee?.id ?? NO_ASSIGNEE}
            onChange={(e) => void assign(e.target.value === NO_ASSIGNEE ? null : e.target.value)}
          >
            <option value={NO_ASSIGNEE}>Nobody assigned</option>
            {item.assignee?.removed && <option value={item.assignee.id}>{item.assignee.name} (removed)</option>}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : (
          item.assignee && <span className="item-assignee">assigned to {item.assignee.name}</span>
        )}
        {canWrite ? <NoteField title={item.title} note={item.note} onSave={saveNote} /> : item.note && <span className="item-note">{item.note}</span>}
      </div>
    </li>
  );
}

/** Saved when the person leaves the field or presses Enter; Escape puts the saved note back. */
function NoteField({ title, note, onSave }: { title: string; note: string; onSave: (note: string) => unknown }) {
  return (
    <input
      // A note saved elsewhere (another device, a refresh) replaces what the field shows.
      key={note}
      className="item-note-field"
      aria-label={`Note on ${title}`}
      placeholder="Note"
      defaultValue={note}
      onBlur={(e) => {
        if (e.currentTarget.value !== note) void onSave(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          e.currentTarget.value = note;
          e.currentTarget.blur();
        }
      }}
    />
  );
}
