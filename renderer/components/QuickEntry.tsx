import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isQuickEntryError, parseQuickEntry, type QuickEntry as ParsedEntry } from '../../shared/model/quick-entry';
import type { IncidentState } from '../../shared/model/incident';
import { FOCUS_QUICK_ENTRY_EVENT, isTypingTarget } from '../app/shortcuts';
import { KIND_LABELS } from '../format/entry-kind';
import { localClock, utcClock } from '../format/time';
import { useActionError, useApi, useNow, useOpenIncident, useStores } from '../state/console-stores';

const SYNTAX_HINT = 'Enter records a note · /decision /action /comms /status /note · /sev P1 · /phase … · @14:02 local, @14:02Z UTC';

/** The parse of what is typed, as of `now` in this device's time zone. */
function parseDraft(draft: string, now: number, state: IncidentState) {
  return parseQuickEntry(draft, {
    now,
    timezoneOffsetMinutes: -new Date(now).getTimezoneOffset(),
    phases: state.playbook.phases,
  });
}

/** Why a change would do nothing, so Enter does not record a no-op. */
function alreadySo(entry: ParsedEntry, state: IncidentState): string | null {
  if (entry.command?.type === 'severity' && entry.command.severity === state.severity) return `severity is already ${state.severity}`;
  if (entry.command?.type === 'phase' && entry.command.phase === state.phase) return `the incident is already in this phase`;
  return null;
}

function whatEnterRecords(entry: ParsedEntry, state: IncidentState, now: number): string {
  const phaseTitle = (id: string) => state.playbook.phases.find((p) => p.id === id)?.title ?? id;
  if (entry.command?.type === 'severity') {
    const { severity, reason } = entry.command;
    return `Changes severity ${state.severity} → ${severity}${reason ? ` — reason: ${reason}` : ''}`;
  }
  if (entry.command?.type === 'phase') return `Moves to phase ${phaseTitle(entry.command.phase)} (from ${phaseTitle(state.phase)})`;
  if (entry.occurredAt === undefined) return `Records a ${KIND_LABELS[entry.kind]} · occurred now`;
  // The most recent past occurrence may be yesterday's: say so, since the clock alone does not.
  const day = new Date(entry.occurredAt).toDateString() === new Date(now).toDateString() ? '' : ' yesterday';
  return `Records a ${KIND_LABELS[entry.kind]} · occurred ${utcClock(entry.occurredAt)} · ${localClock(entry.occurredAt)} local${day}`;
}

/**
 * The one-line entry box of the timeline (syntax in shared/model/quick-entry.ts). It shows, as the
 * person types, what Enter will record; a /sev or /phase line makes the change itself, and the
 * change's system entry then appears on the timeline by itself. `/` or `e` focuses it from
 * anywhere on the incident screen, as does the command palette's "Focus timeline entry".
 *
 * What was typed stays in the box until the core has stored it: a refusal is said under the box,
 * and the text is there to fix or send again.
 */
export function QuickEntry({ onRecorded }: { onRecorded?: () => void }) {
  const api = useApi();
  const { clock } = useStores();
  const storing = useActionError();
  const now = useNow();
  const state = useOpenIncident((s) => s.view?.state);
  const [draft, setDraft] = useState('');
  const [recording, setRecording] = useState(false);
  /** Set when Enter met a problem, so the problem is announced rather than only shown. */
  const [refused, setRefused] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTypingTarget(event.target)) return;
      if (event.key !== '/' && event.key !== 'e') return;
      event.preventDefault();
      input.current?.focus();
      // "/" starts a command, as it does in chat tools.
      if (event.key === '/') setDraft((current) => current || '/');
    };
    // The command palette's "Focus timeline entry".
    const onFocusRequest = () => input.current?.focus();
    window.addEventListener('keydown', onKey);
    window.addEventListener(FOCUS_QUICK_ENTRY_EVENT, onFocusRequest);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(FOCUS_QUICK_ENTRY_EVENT, onFocusRequest);
    };
  }, []);

  if (!state) return null;
  const incidentId = state.id;
  const parsed = draft.trim() ? parseDraft(draft, now, state) : null;
  const problem = parsed && (isQuickEntryError(parsed) ? parsed.error : alreadySo(parsed, state));

  let hint: ReactNode = (
    <span className="muted" title={SYNTAX_HINT}>
      {SYNTAX_HINT}
    </span>
  );
  if (storing.error) {
    hint = (
      <span className="quick-entry-problem" role="alert">
        {storing.error}
      </span>
    );
  } else if (problem) {
    hint = (
      <span className="quick-entry-problem" role={refused ? 'alert' : undefined}>
        {problem}
      </span>
    );
  } else if (parsed && !isQuickEntryError(parsed)) {
    hint = whatEnterRecords(parsed, state, now);
  }

  const record = async (event: FormEvent) => {
    event.preventDefault();
    if (recording || !draft.trim()) return;
    // Parsed again at the moment of Enter: the hint may be up to a clock tick old.
    const entry = parseDraft(draft, clock.getState().read(), state);
    if (isQuickEntryError(entry) || alreadySo(entry, state)) {
      setRefused(true);
      return;
    }
    const sent = draft;
    setRecording(true);
    const done = await storing.run(async () => {
      if (entry.kind === 'system') {
        const { command } = entry;
        if (command.type === 'phase') return api.invoke('incidents.advancePhase', { incidentId, phase: command.phase });
        const { severity, reason } = command;
        return api.invoke('incidents.setField', { incidentId, field: 'severity', value: severity, ...(reason ? { reason } : {}) });
      }
      return api.invoke('timeline.add', { incidentId, kind: entry.kind, text: entry.text, occurredAt: entry.occurredAt });
    });
    setRecording(false);
    if (done !== undefined) {
      // Whatever was typed while the core stored the entry is the start of the next one: kept.
      setDraft((current) => (current === sent ? '' : current));
      onRecorded?.();
    }
  };

  return (
    <form className="quick-entry" onSubmit={record}>
      <label className="timeline-visually-hidden" htmlFor={`${hintId}-input`}>
        Timeline entry
      </label>
      <input
        ref={input}
        id={`${hintId}-input`}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setRefused(false);
          storing.clear();
        }}
        // Escape leaves the box and keeps what was typed: nothing written for the record is thrown away by a key.
        onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
        placeholder="What happened? /decision …, /sev P1, @14:02 …   ( / or e to focus)"
        autoComplete="off"
        spellCheck
        aria-describedby={hintId}
        aria-invalid={problem || storing.error ? true : undefined}
        aria-keyshortcuts="/ e"
      />
      <p id={hintId} className="quick-entry-hint">
        {hint}
      </p>
    </form>
  );
}
