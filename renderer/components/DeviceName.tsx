import { useEffect, useState, type FormEvent } from 'react';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

/** The name every entry this device records carries; asked for until it is set. */
export const UNNAMED_DEVICE = 'Unnamed device';

export function DeviceName() {
  const api = useApi();
  const { run, error } = useActionError();
  const [name, setName] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');

  useEffect(() => {
    void api.invoke('device.get', {}).then((d) => setName(d.name));
  }, [api]);

  if (name === null || api.access !== 'write') return null;
  const asking = editing || name === UNNAMED_DEVICE;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await run(() => api.invoke('device.setName', { name: draft }));
    if (saved) {
      setName(saved.name);
      setEditing(false);
    }
  };
  if (!asking) {
    return (
      <span className="device-name">
        You are <strong>{name}</strong>{' '}
        <button type="button" onClick={() => (setDraft(name), setEditing(true))}>
          Change name
        </button>
      </span>
    );
  }
  return (
    <form className="device-name" aria-label="Your name" onSubmit={save}>
      <label className="inline">
        Your name (shown on everything you record)
        <input required value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      <button type="submit">Save name</button>
      <ActionError error={error} />
    </form>
  );
}
