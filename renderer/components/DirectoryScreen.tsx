import { useCallback, useEffect, useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { DIRECTORY_KINDS, type DirectoryEntry, type DirectoryKind } from '../../shared/model/directory';
import { saveFile } from '../files/save-file';
import { useAction, useActionError, useApi } from '../state/console-stores';
import '../styles/directory.css';
import { ActionError } from './ActionError';
import { ThemeToggle } from './ThemeToggle';

const SECTIONS: Array<{ kind: DirectoryKind; heading: string }> = [
  { kind: 'person', heading: 'People' },
  { kind: 'vendor', heading: 'Vendor contacts' },
  { kind: 'runbook', heading: 'Runbooks' },
];
const KIND_LABELS: Record<DirectoryKind, string> = { person: 'Person', vendor: 'Vendor', runbook: 'Runbook' };

/**
 * The team directory, on this device and across incidents (what people need most when Slack is
 * down): people with the roles they can hold and their numbers, vendor contacts, runbook links.
 * Imported from and exported to JSON or CSV; a file with a bad row is refused whole, naming the line.
 */
export function DirectoryScreen() {
  const api = useApi();
  const act = useAction();
  const [entries, setEntries] = useState<DirectoryEntry[] | null>(null);
  const importing = useActionError();
  const [imported, setImported] = useState<string | null>(null);
  const canWrite = api.access === 'write';

  const reload = useCallback(() => void api.invoke('directory.list', {}).then(setEntries), [api]);
  useEffect(reload, [reload]);

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    setImported(null);
    const text = await file.text();
    const result = await importing.run(() => api.invoke('directory.import', { fileName: file.name, text }));
    if (!result) return;
    setEntries(result.entries);
    setImported(`Imported ${result.imported} entr${result.imported === 1 ? 'y' : 'ies'} from ${file.name}.`);
  };

  const exportAs = async (format: 'json' | 'csv') => {
    const file = await act(() => api.invoke('directory.export', { format }));
    if (file) saveFile({ name: file.fileName, type: `${file.mimeType};charset=utf-8`, content: file.text });
  };

  return (
    <main className="directory-screen">
      <nav className="breadcrumb">
        <a href="#/">Incidents</a>
        <div className="breadcrumb-tools">
          <ThemeToggle />
        </div>
      </nav>
      <h1>Team directory</h1>
      <p className="muted">Kept on this device for every incident, and there when the network is not.</p>
      <div className="directory-tools">
        {canWrite && (
          <label className="file-button">
            Import JSON or CSV
            <input type="file" accept=".json,.csv,application/json,text/csv" onChange={(e) => void importFile(e)} />
          </label>
        )}
        <button type="button" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
      </div>
      {imported && <p role="status">{imported}</p>}
      <ActionError error={importing.error} />
      {entries?.length === 0 && <p className="empty">The directory is empty: import a file or add an entry.</p>}
      {entries &&
        SECTIONS.map(({ kind, heading }) => {
          const list = entries.filter((e) => e.kind === kind);
          if (list.length === 0) return null;
          return (
            <section key={kind} className="panel directory-section" aria-label={heading}>
              <h2>{heading}</h2>
              <ul className="directory-entries">
                {list.map((entry) => (
                  <DirectoryRow key={entry.id} entry={entry} canWrite={canWrite} onChanged={setEntries} />
                ))}
              </ul>
            </section>
          );
        })}
      {canWrite && <AddEntryForm onAdded={setEntries} />}
    </main>
  );
}

function DirectoryRow({ entry, canWrite, onChanged }: { entry: DirectoryEntry; canWrite: boolean; onChanged(entries: DirectoryEntry[]): void }) {
  const api = useApi();
  const act = useAction();
  const nameId = useId();
  const remove = async () => {
    const entries = await act(() => api.invoke('directory.remove', { id: entry.id }));
    if (entries) onChanged(entries);
  };
  return (
    <li className="directory-entry" aria-labelledby={nameId}>
      <strong id={nameId}>{entry.name}</strong>
      {entry.roles.length > 0 && <span className="muted"> · can hold {entry.roles.join(', ')}</span>}
      <div className="directory-contacts">
        {entry.phone && <a href={`tel:${entry.phone.replace(/[^\d+]/g, '')}`}>{entry.phone}</a>}
        {entry.email && <a href={`mailto:${entry.email}`}>{entry.email}</a>}
        {entry.link && (
          <a href={entry.link} target="_blank" rel="noopener noreferrer">
            {entry.link}
          </a>
        )}
      </div>
      {entry.notes && <p className="muted directory-notes">{entry.notes}</p>}
      {canWrite && (
        <button type="button" aria-label={`Remove ${entry.name}`} onClick={() => void remove()}>
          Remove
        </button>
      )}
    </li>
  );
}

function AddEntryForm({ onAdded }: { onAdded(entries: DirectoryEntry[]): void }) {
  const api = useApi();
  const { run, error } = useActionError();
  const empty = { name: '', roles: '', phone: '', email: '', link: '', notes: '' };
  const [kind, setKind] = useState<DirectoryKind>('person');
  const [fields, setFields] = useState(empty);
  const field = (key: keyof typeof empty) => ({ value: fields[key], onChange: (e: ChangeEvent<HTMLInputElement>) => setFields({ ...fields, [key]: e.target.value }) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const roles = fields.roles.split(/[;,]/).map((r) => r.trim()).filter(Boolean);
    const entries = await run(() => api.invoke('directory.save', { kind, ...fields, roles }));
    if (!entries) return;
    onAdded(entries);
    setFields(empty);
  };

  return (
    <form className="panel add-directory-entry" aria-label="Add to the directory" onSubmit={(e) => void submit(e)}>
      <h2>Add to the directory</h2>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as DirectoryKind)}>
          {DIRECTORY_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input {...field('name')} required />
      </label>
      {kind === 'person' && (
        <label>
          Roles they can hold
          <input {...field('roles')} placeholder="incident-commander; technical-lead" />
        </label>
      )}
      <label>
        Phone
        <input {...field('phone')} />
      </label>
      <label>
        Email
        <input {...field('email')} />
      </label>
      <label>
        Link
        <input {...field('link')} placeholder="https://…" />
      </label>
      <label>
        Notes
        <input {...field('notes')} />
      </label>
      <button type="submit" className="primary">
        Add entry
      </button>
      <ActionError error={error} />
    </form>
  );
}
