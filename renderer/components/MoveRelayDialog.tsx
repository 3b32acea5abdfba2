import { useState, type FormEvent } from 'react';
import { useActionError, useApi, useStores } from '../state/console-stores';
import { ActionError } from './ActionError';
import { Dialog } from './Dialog';

/**
 * Following the incident to another relay in one action (DESIGN.md §5: "moving an incident to
 * another relay address is one action"): when its relay is gone and a teammate hosts it again,
 * every member, observers included, types the new address here. This device then sends the new
 * relay whatever it lacks and fetches what the others wrote.
 */
export function MoveRelayDialog({ incidentId, relay, onClose }: { incidentId: string; relay: string; onClose(): void }) {
  const api = useApi();
  const { sync } = useStores();
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const { run, error } = useActionError();

  const move = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    void run(() => api.invoke('incidents.moveRelay', { incidentId, relay: address }))
      .then(async (moved) => {
        if (!moved) return;
        await sync.getState().refresh();
        onClose();
      })
      .finally(() => setBusy(false));
  };

  return (
    <Dialog title="Move to another relay" onClose={onClose} className="move-relay-dialog">
      <p className="muted">
        Now through relay <code>{relay}</code>. If it is gone and a teammate hosts the incident again, enter the address they give you.
      </p>
      <form className="relay-form" aria-label="Move to another relay" onSubmit={move}>
        <label>
          New relay address (host:port)
          <input value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="192.168.1.20:7443" />
        </label>
        <button type="submit" className="primary" aria-busy={busy}>
          Move
        </button>
      </form>
      <ActionError error={error} />
    </Dialog>
  );
}
