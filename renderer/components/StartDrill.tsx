import type { ChangeEvent } from 'react';
import { incidentHref, navigate } from '../app/route';
import { useActionError, useApi } from '../state/console-stores';
import { ActionError } from './ActionError';

/** Starts a drill from a scenario file (JSON) and opens it; a bad file is refused with the path of each error. */
export function StartDrill() {
  const api = useApi();
  const { run, error } = useActionError();
  const start = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (!file) return;
    const text = await file.text();
    const started = await run(() => api.invoke('drills.start', { fileName: file.name, text }));
    if (started) navigate(incidentHref(started.incidentId));
  };
  return (
    <div className="start-drill">
      <label className="file-button">
        Start drill from scenario
        <input type="file" accept=".json,application/json" onChange={(e) => void start(e)} />
      </label>
      <ActionError error={error} />
    </div>
  );
}
