import { useEffect, useState, type FormEvent } from 'react';
import { incidentHref, navigate } from '../app/route';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';
import { UNNAMED_DEVICE } from './DeviceName';
import { JoinLinkInput } from './JoinLinkInput';

/**
 * Joining an incident someone shared (DESIGN.md §5): paste the write or read link they sent (or
 * type it as read aloud), give the name others will see, and the incident opens. A link that does
 * not parse is refused beside the form, with the text kept to correct.
 */
export function JoinIncidentForm({ onCancel }: { onCancel(): void }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [link, setLink] = useState('');
  const [name, setName] = useState('');

  // The name this device already records under, if it has one.
  useEffect(() => {
    let current = true;
    void api.invoke('device.get', {}).then(
      (device) => {
        if (current && device.name !== UNNAMED_DEVICE) setName((typed) => typed || device.name);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const joined = await run(() => api.invoke('incidents.join', { link, name }));
    if (joined) navigate(incidentHref(joined.incidentId));
  };

  return (
    <form className="join-form" aria-label="Join incident" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h2>Join an incident</h2>
      <JoinLinkInput label="Link (sitrep://join/…)" value={link} onChange={setLink} />
      <label>
        Your name (shown to the others)
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          Join
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}
