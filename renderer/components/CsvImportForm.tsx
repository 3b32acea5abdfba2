import { useState, type FormEvent } from 'react';
import type { SourceView } from '../../shared/model/views';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

/**
 * Importing samples from a CSV file (time, metric, value): all of it, or nothing with the bad line
 * named. Into a configured CSV source (its sustain window applies) or the plain "csv" source.
 */
export function CsvImportForm({ incidentId, sources }: { incidentId: string; sources: readonly SourceView[] }) {
  const api = useApi();
  const { run, error } = useActionError();
  const csvSources = sources.filter((s) => s.config.kind === 'csv');
  const [sourceId, setSourceId] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState<string | null>(null);

  const readFile = async (file: File | undefined) => {
    if (file) setText(await file.text());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    const imported = await run(() => api.invoke('samples.importCsv', { incidentId, text, sourceId: sourceId || undefined }));
    if (imported) {
      setResult(`Imported ${imported.imported} samples`);
      setText('');
    }
  };

  return (
    <form className="csv-import" aria-label="Import samples from CSV" onSubmit={submit}>
      <label>
        CSV file
        <input type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
      </label>
      <label>
        Rows (time,metric,value)
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {csvSources.length > 0 && (
        <label>
          Into source
          <select value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
            <option value="">csv (no sustain)</option>
            {csvSources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.config.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" disabled={text.trim() === ''}>
        Import CSV
      </button>
      {result && <p role="status">{result}</p>}
      <ActionError error={error} />
    </form>
  );
}
