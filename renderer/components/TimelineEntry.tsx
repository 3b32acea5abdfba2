import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { TimelineEntryView } from '../../shared/model/views';
import { STAR_SHORTCUT } from '../app/shortcuts';
import { KIND_LABELS } from '../format/entry-kind';
import { localClock, utcClock, utcDateTime } from '../format/time';
import { useAction, useActionError, useApi, useTimeline } from '../state/console-stores';
import { ActionError } from './ActionError';

/** A correction being written for one entry; held by the Timeline so a reload does not lose it. */
export interface EntryEdit {
  entryId: string;
  action: 'amend' | 'retract' | 'redact';
  draft: string;
}

/** An occurred-at this far from when the entry was recorded is shown, so a backdated entry is visible as one. */
const BACKDATED_MS = 60_000;

export interface TimelineEntryProps {
  entry: TimelineEntryView;
  position: number;
  setSize: number;
  /** Retraction and redaction entries by id: where a mark finds its reason, who and when. */
  corrections: ReadonlyMap<string, TimelineEntryView>;
  canWrite: boolean;
  /** The correction open on this entry, if any. */
  edit: EntryEdit | null;
  onEdit(edit: EntryEdit | null): void;
  highlighted: boolean;
  onShowEntry(entryId: string): void;
}

/**
 * One timeline entry: kind, author, when (UTC and local), the text as text, its star, and what
 * became of it (amended, retracted, redacted). A person's own entries offer the corrections, each
 * a new entry pointing at this one: the timeline is append-only. Each entry takes focus from Tab
 * (the feed pattern), so `s` can star the one in focus.
 */
export function TimelineEntry({ entry, position, setSize, corrections, canWrite, edit, onEdit, highlighted, onShowEntry }: TimelineEntryProps) {
  const api = useApi();
  const act = useAction();
  const correcting = useActionError();
  const incidentId = useTimeline((s) => s.incidentId);
  const article = useRef<HTMLElement>(null);

  useEffect(() => {
    if (highlighted) article.current?.focus();
  }, [highlighted]);

  const isPersonEntry = entry.source === 'entry';
  const isCorrection = entry.relation === 'retracts' || entry.relation === 'redacts';
  const redaction = entry.redactedBy ? corrections.get(entry.redactedBy) : undefined;
  const retraction = entry.retractedBy ? corrections.get(entry.retractedBy) : undefined;
  const correctable = canWrite && isPersonEntry && !isCorrection && !entry.redactedBy;
  const canAmendOrRetract = correctable && !entry.supersededBy && !entry.retractedBy;
  const backdated = Math.abs(entry.recordedAt.ms - entry.occurredAt) > BACKDATED_MS;

  const classes = [
    'timeline-entry',
    `kind-${entry.kind}`,
    entry.source === 'system' && 'entry-system',
    entry.supersededBy && 'entry-superseded',
    entry.retractedBy && 'entry-retracted',
    entry.redactedBy && 'entry-redacted',
    highlighted && 'entry-highlighted',
  ].filter(Boolean);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!edit || !incidentId || !edit.draft.trim()) return;
    const { entryId, draft } = edit;
    const done = await correcting.run(() => {
      if (edit.action === 'amend') return api.invoke('timeline.amend', { incidentId, entryId, text: draft });
      if (edit.action === 'retract') return api.invoke('timeline.retract', { incidentId, entryId, reason: draft });
      return api.invoke('timeline.redact', { incidentId, entryId, reason: draft });
    });
    if (done) onEdit(null);
  };

  const toggleStar = () => {
    if (incidentId) void act(() => api.invoke('timeline.star', { incidentId, entryId: entry.id, starred: !entry.starred }));
  };

  const cancel = () => {
    correcting.clear();
    onEdit(null);
  };

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') cancel();
  };

  const linkTo = (entryId: string, label: string, title: string) => (
    <button type="button" className="entry-link" title={title} onClick={() => onShowEntry(entryId)}>
      {label}
    </button>
  );

  let body;
  if (entry.redactedBy) {
    // The text is never rendered for a redacted entry, whatever the view holds.
    body = (
      <p className="entry-text entry-redaction-note">
        {redaction
          ? `[redacted by ${redaction.by} at ${utcClock(redaction.occurredAt)}: ${redaction.text}]`
          : '[redacted]'}
      </p>
    );
  } else if (edit?.action === 'amend') {
    body = (
      <form className="entry-correction" aria-label="Amend entry" onSubmit={submit} onKeyDown={cancelOnEscape}>
        <label>
          Amended text
          <textarea
            autoFocus
            rows={2}
            value={edit.draft}
            onChange={(e) => onEdit({ ...edit, draft: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </label>
        <div className="entry-actions">
          <button type="submit" className="primary" disabled={!edit.draft.trim() || edit.draft.trim() === entry.text}>
            Save amendment
          </button>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
        <ActionError error={correcting.error} />
      </form>
    );
  } else {
    body = (
      <p className="entry-text">
        {entry.supersededBy || entry.retractedBy ? <s>{entry.text}</s> : entry.text}
      </p>
    );
  }

  const time = `${utcClock(entry.occurredAt)} · ${localClock(entry.occurredAt)} local`;

  return (
    <article
      ref={article}
      id={`timeline-entry-${entry.id}`}
      className={classes.join(' ')}
      aria-label={`${KIND_LABELS[entry.kind]} by ${entry.by} at ${utcClock(entry.occurredAt)}`}
      aria-posinset={position}
      aria-setsize={setSize}
      tabIndex={0}
    >
      <div className="entry-meta">
        <span className={`kind-badge kind-badge-${entry.kind}`}>{KIND_LABELS[entry.kind]}</span>
        <span className="entry-author">{entry.by}</span>
        <time dateTime={new Date(entry.occurredAt).toISOString()} title={`occurred ${utcDateTime(entry.occurredAt)}`}>
          {time}
        </time>
        {backdated && <span className="muted entry-recorded">recorded {utcClock(entry.recordedAt.ms)}</span>}
        {isPersonEntry &&
          (canWrite ? (
            <button
              type="button"
              className="entry-star"
              aria-label="Star"
              aria-pressed={entry.starred}
              aria-keyshortcuts={STAR_SHORTCUT}
              onClick={toggleStar}
            >
              {entry.starred ? '★' : '☆'}
            </button>
          ) : (
            entry.starred && (
              <span className="entry-star" role="img" aria-label="Starred">
                ★
              </span>
            )
          ))}
      </div>
      {body}
      <div className="entry-marks">
        {entry.supersededBy && linkTo(entry.supersededBy, 'amended', 'Show the amended version')}
        {entry.retractedBy && <span className="entry-retraction-mark">retracted: {retraction?.text ?? '…'}</span>}
        {entry.relation === 'supersedes' && entry.refersTo && linkTo(entry.refersTo, 'amends an earlier entry', 'Show the entry this amends')}
        {entry.relation === 'retracts' && entry.refersTo && linkTo(entry.refersTo, 'retracts an entry', 'Show the retracted entry')}
        {entry.relation === 'redacts' && entry.refersTo && linkTo(entry.refersTo, 'redacts an entry', 'Show the redacted entry')}
      </div>
      {(edit?.action === 'retract' || edit?.action === 'redact') && (
        <form
          className="entry-correction"
          aria-label={edit.action === 'retract' ? 'Retract entry' : 'Redact entry'}
          onSubmit={submit}
          onKeyDown={cancelOnEscape}
        >
          {edit.action === 'redact' && (
            <p className="warning" role="note">
              Redacting hides this entry’s text everywhere: on every device, on the wall display and in every export. Only who
              redacted it, when and your reason stay on the timeline. It cannot be undone.
            </p>
          )}
          <label>
            {edit.action === 'retract' ? 'Reason for retracting' : 'Reason for redacting'}
            <input autoFocus value={edit.draft} onChange={(e) => onEdit({ ...edit, draft: e.target.value })} />
          </label>
          <div className="entry-actions">
            <button type="submit" className={edit.action === 'redact' ? 'danger' : 'primary'} disabled={!edit.draft.trim()}>
              {edit.action === 'retract' ? 'Retract entry' : 'Redact entry'}
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
          <ActionError error={correcting.error} />
        </form>
      )}
      {correctable && !edit && (
        <div className="entry-actions">
          {canAmendOrRetract && (
            <button type="button" onClick={() => onEdit({ entryId: entry.id, action: 'amend', draft: entry.text })}>
              Amend
            </button>
          )}
          {canAmendOrRetract && (
            <button type="button" onClick={() => onEdit({ entryId: entry.id, action: 'retract', draft: '' })}>
              Retract
            </button>
          )}
          <button type="button" onClick={() => onEdit({ entryId: entry.id, action: 'redact', draft: '' })}>
            Redact
          </button>
        </div>
      )}
    </article>
  );
}
