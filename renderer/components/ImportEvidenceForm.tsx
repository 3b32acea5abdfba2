import { useState, type FormEvent } from 'react';
import { SitrepError } from '../../shared/errors';
import { BUNDLE_EXTENSION } from '../../shared/evidence/evidence-transfer';
import { incidentHref, navigate } from '../app/route';
import { readFileAsBase64 } from '../files/read-file';
import { useApi } from '../state/console-stores';
import { ActionError } from './ActionError';
import { JoinLinkInput } from './JoinLinkInput';

/**
 * Importing an evidence bundle (a sync without a network, issue 6): pick the file; the core
 * verifies it whole before storing anything. When this machine holds no key for the incident the
 * core asks for its join link ('missing-key'), and the form asks the person for it and tries again.
 * Every refusal (a tampered or truncated bundle, a wrong link) is said beside the form.
 */
export function ImportEvidenceForm({ onCancel }: { onCancel(): void }) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [link, setLink] = useState('');
  const [needsLink, setNeedsLink] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const bundle = await readFileAsBase64(file);
      const imported = await api.invoke('evidence.import', { bundle, ...(needsLink && { link }) });
      navigate(incidentHref(imported.incidentId));
    } catch (refusal) {
      if (refusal instanceof SitrepError && refusal.code === 'missing-key' && !needsLink) {
        setNeedsLink(true);
        setError(`${refusal.message}.`);
      } else {
        setError((refusal as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="join-form" aria-label="Import evidence bundle" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h2>Import an evidence bundle</h2>
      <label>
        Evidence bundle file ({BUNDLE_EXTENSION})
        <input
          type="file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
          }}
        />
      </label>
      {needsLink && (
        <JoinLinkInput label="Incident link (sitrep://join/…)" value={link} onChange={setLink} />
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !file}>
          Import
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}
