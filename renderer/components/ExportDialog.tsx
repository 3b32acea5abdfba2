import { useState, type FormEvent } from 'react';
import { EXPORT_FILE_TYPES, EXPORT_FORMATS, type ExportFormat } from '../../shared/report/incident-report';
import { bytesFromBase64, saveFile } from '../files/save-file';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';
import { Dialog } from './Dialog';
import '../styles/export.css';

/** What each format is for, under its name. */
const FORMAT_HINTS: Record<ExportFormat, string> = {
  md: 'The post-mortem as Markdown: paste it into a wiki or a ticket.',
  html: 'The post-mortem as one web page, with the metric charts.',
  pdf: 'The post-mortem printed, with the metric charts.',
  csv: 'Every timeline entry, one row each, for a spreadsheet.',
  json: "The incident's replicated state, for other tools.",
};

/**
 * Exporting the open incident (issue #6): pick a format, and the file is handed over through
 * save-file (a download in browser mode, the save dialog in Electron). A refusal shows beside the
 * form; the dialog stays open on success and says which file was made.
 */
export function ExportDialog({ incidentId, onClose }: { incidentId: string; onClose(): void }) {
  const api = useApi();
  const [format, setFormat] = useState<ExportFormat>('md');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { run, error } = useActionError();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(null);
    const file = await run(() => api.invoke('export.incident', { incidentId, format }));
    setBusy(false);
    if (!file) return;
    saveFile({ name: file.fileName, type: file.mime, content: file.encoding === 'base64' ? bytesFromBase64(file.content) : file.content });
    setSaved(file.fileName);
  };

  return (
    <Dialog title="Export incident" onClose={onClose} className="export-dialog">
      <form onSubmit={submit} aria-busy={busy}>
        <fieldset>
          <legend>Format</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className="export-format">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              <span>
                <strong>{EXPORT_FILE_TYPES[f].label}</strong> <span className="muted">.{EXPORT_FILE_TYPES[f].suffix}</span>
                <br />
                <span className="muted">{FORMAT_HINTS[f]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="export-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
          {saved && (
            <span role="status" className="export-saved">
              Saved {saved}
            </span>
          )}
        </div>
        <ActionError error={error} />
      </form>
    </Dialog>
  );
}
