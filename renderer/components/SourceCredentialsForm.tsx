import { useState, type FormEvent } from 'react';
import type { CredentialKind, SourceCredentials } from '../../shared/model/source-credentials';
import type { SourceView } from '../../shared/model/views';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

/**
 * The credentials this device presents to a source it polls. They are kept in this device's local
 * credential file only: never in the incident, never sent to another device; the form never shows
 * a stored secret back, only which kind is held.
 */
export function SourceCredentialsForm({ incidentId, source }: { incidentId: string; source: SourceView }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [kind, setKind] = useState<CredentialKind>(source.credentials);
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credentials: SourceCredentials =
      kind === 'basic' ? { kind, username, password: secret } : kind === 'bearer' ? { kind, token: secret } : { kind: 'none' };
    const saved = await run(() => api.invoke('sources.setCredentials', { incidentId, sourceId: source.id, credentials }));
    if (saved) setSecret('');
  };

  return (
    <form className="source-credentials" aria-label={`Credentials for ${source.config.name}`} onSubmit={submit}>
      <label>
        Credentials (this device only)
        <select value={kind} onChange={(e) => setKind(e.target.value as CredentialKind)}>
          <option value="none">None</option>
          <option value="basic">Basic auth</option>
          <option value="bearer">Bearer token</option>
        </select>
      </label>
      {kind === 'basic' && (
        <label>
          Username
          <input autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
      )}
      {kind !== 'none' && (
        <label>
          {kind === 'basic' ? 'Password' : 'Token'}
          <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </label>
      )}
      <button type="submit">Save credentials</button>
      <span className="muted">held: {source.credentials}</span>
      <ActionError error={error} />
    </form>
  );
}
