import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { RenderedCommunication } from '../../shared/model/views';
import { useAction, useActionError, useApi, useCanWrite, useOpenIncident, useStores } from '../state/console-stores';
import '../styles/comms.css';
import { ActionError } from './ActionError';

/** What the person has typed over the rendered text; while there is none, the text follows the template. */
interface Draft {
  subject: string | null;
  body: string;
}

/** The textarea never shrinks below this, so a short template still reads as a message. */
const MIN_MESSAGE_ROWS = 8;

/** The message as it is copied and recorded: a subject line first when the template has one. */
const messageText = ({ subject, body }: Draft): string => (subject === null ? body : `Subject: ${subject}\n\n${body}`);

/**
 * The playbook's communication templates, filled in from the incident: pick a template, type the
 * values only a person knows (status page URL, estimated resolution), adjust the text, copy it to
 * wherever it goes out (Slack may be down), then mark it sent: that puts it on the timeline, sets
 * "first communication sent" and restarts the next-update countdown.
 */
export function CommsPanel() {
  const api = useApi();
  const act = useAction();
  const sending = useActionError();
  const { notices } = useStores();
  const view = useOpenIncident((s) => s.view);
  // A read link or the wall display opens with read access even on a device that holds the write key.
  const canWrite = useCanWrite();
  const baseId = useId();
  const incidentId = view?.state.id ?? null;
  const templates = view?.state.playbook.communicationTemplates ?? [];

  const [shownFor, setShownFor] = useState(incidentId);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [rendered, setRendered] = useState<RenderedCommunication | null>(null);
  /** Why the core refused to fill in the template with the values typed (shown beside them). */
  const [renderError, setRenderError] = useState<string | null>(null);
  // Another incident opened in the same screen: nothing typed for the last one carries over.
  if (shownFor !== incidentId) {
    setShownFor(incidentId);
    setTemplateId(null);
    setValues({});
    setDrafts({});
    setRendered(null);
    setRenderError(null);
  }

  const template = templates.find((t) => t.id === templateId) ?? templates[0] ?? null;
  const selectedId = template?.id ?? null;

  useEffect(() => {
    if (!incidentId || !selectedId) return;
    let current = true;
    api.invoke('comms.render', { incidentId, templateId: selectedId, values }).then(
      (answer) => {
        if (!current) return;
        setRendered(answer);
        setRenderError(null);
      },
      (error: Error) => current && setRenderError(error.message),
    );
    return () => {
      current = false;
    };
    // `view` is a dependency on purpose: a change to the incident (severity, phase, a message sent) re-renders the text.
  }, [api, incidentId, selectedId, values, view]);

  if (!view || !incidentId || !template || !selectedId) return null;
  const current = rendered?.templateId === selectedId ? rendered : null;
  const draft: Draft | null = drafts[selectedId] ?? (current ? { subject: current.subject, body: current.body } : null);
  const edited = drafts[selectedId] !== undefined;
  const missing = current ? template.placeholders.filter((p) => current.missing.includes(p.key)) : [];
  const fillable = template.placeholders.filter((p) => p.source === 'manual' || values[p.key] !== undefined || current?.missing.includes(p.key));
  const tabId = (id: string) => `${baseId}-tab-${id}`;
  const panelId = `${baseId}-panel`;

  const editDraft = (change: Partial<Draft>) => draft && setDrafts((d) => ({ ...d, [selectedId]: { ...draft, ...change } }));
  const restoreTemplate = () =>
    setDrafts((d) => {
      const rest = { ...d };
      delete rest[selectedId];
      return rest;
    });

  const selectTemplate = (id: string) => {
    setTemplateId(id);
    sending.clear();
  };

  const selectByKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const at = templates.findIndex((t) => t.id === selectedId);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: templates.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = templates[(next + templates.length) % templates.length];
    selectTemplate(target.id);
    document.getElementById(tabId(target.id))?.focus();
  };

  const copy = async () => {
    if (!draft) return;
    const copied = await act(async () => {
      await navigator.clipboard.writeText(messageText(draft));
      return true;
    });
    if (copied) notices.getState().push('info', 'Copied');
  };

  const markSent = async () => {
    if (!draft) return;
    const recorded = await sending.run(() => api.invoke('comms.markSent', { incidentId, templateId: selectedId, text: messageText(draft) }));
    if (recorded) notices.getState().push('info', `${template.title} marked sent`);
  };

  return (
    <section className="panel comms-panel" aria-labelledby={`${baseId}-heading`}>
      <h2 id={`${baseId}-heading`}>Communications</h2>
      <div className="comms-tabs" role="tablist" aria-label="Communication templates">
        {templates.map((t) => (
          <button
            key={t.id}
            id={tabId(t.id)}
            type="button"
            role="tab"
            aria-selected={t.id === selectedId}
            aria-controls={panelId}
            tabIndex={t.id === selectedId ? 0 : -1}
            onClick={() => selectTemplate(t.id)}
            onKeyDown={selectByKey}
          >
            {t.title}
            <span className="comms-audience"> {t.audience}</span>
          </button>
        ))}
      </div>
      <div id={panelId} role="tabpanel" aria-labelledby={tabId(selectedId)} className="comms-body">
        {canWrite && fillable.length > 0 && (
          <fieldset className="comms-values">
            <legend>Values to fill in</legend>
            {fillable.map((p) => (
              <label key={p.key}>
                {p.label}
                <input
                  value={values[p.key] ?? ''}
                  aria-invalid={current?.missing.includes(p.key) || undefined}
                  onChange={(e) => setValues((v) => ({ ...v, [p.key]: e.target.value }))}
                />
              </label>
            ))}
          </fieldset>
        )}
        <ActionError error={renderError} />
        {draft === null ? (
          <p className="muted" aria-busy="true">
            Filling in the template…
          </p>
        ) : (
          <>
            {draft.subject !== null && (
              <label>
                Subject
                <input value={draft.subject} readOnly={!canWrite} onChange={(e) => editDraft({ subject: e.target.value })} />
              </label>
            )}
            <label>
              Message
              <textarea
                className="comms-message"
                value={draft.body}
                readOnly={!canWrite}
                rows={Math.max(MIN_MESSAGE_ROWS, draft.body.split('\n').length + 1)}
                onChange={(e) => editDraft({ body: e.target.value })}
              />
            </label>
          </>
        )}
        {missing.length > 0 && (
          <p className="warning comms-missing">Still to fill in: {missing.map((p) => p.label).join(', ')}</p>
        )}
        {edited && (
          <p className="muted comms-edited">
            Edited by hand: changes to the incident or the values above no longer update it.{' '}
            <button type="button" onClick={restoreTemplate}>
              Restore template text
            </button>
          </p>
        )}
        <div className="comms-actions">
          <button type="button" disabled={!draft} onClick={copy}>
            Copy
          </button>
          {canWrite && (
            <button type="button" className="primary" disabled={!draft} onClick={markSent}>
              Mark sent
            </button>
          )}
        </div>
        <ActionError error={sending.error} />
      </div>
    </section>
  );
}
