import { useEffect, useMemo, useState } from 'react';
import { POLLED_KINDS } from '../../shared/model/metric-source';
import type { SourceView } from '../../shared/model/views';
import type { Playbook } from '../../shared/playbook/schema';
import { utcClock } from '../format/time';
import { useAction, useApi, useOpenIncident } from '../state/console-stores';
import { CsvImportForm } from './CsvImportForm';
import { Dialog } from './Dialog';
import { SourceCredentialsForm } from './SourceCredentialsForm';
import { SourceForm, type PollerChoice } from './SourceForm';
import '../styles/sources.css';

function statusText(source: SourceView): string {
  const { status } = source;
  if (status.state === 'unknown') return 'not polled yet';
  if (status.state === 'up') return `up at ${utcClock(status.at ?? 0)}`;
  return `down since ${utcClock(status.downSince ?? status.at ?? 0)}: ${status.reason}`;
}

/** A device id as people read it. */
const shortDevice = (deviceId: string) => deviceId.slice(0, 8);

/**
 * The devices a source may be polled by: this one first, then each roster member's devices, then
 * any device already polling a source (it may have left the roster).
 */
function usePollerChoices(sources: readonly SourceView[]): PollerChoice[] {
  const api = useApi();
  const roster = useOpenIncident((s) => s.roster);
  const [thisDevice, setThisDevice] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void api.invoke('device.get', {}).then((d) => current && setThisDevice(d.deviceId));
    return () => {
      current = false;
    };
  }, [api]);
  return useMemo(() => {
    if (!thisDevice) return [];
    const choices = new Map<string, string>([[thisDevice, 'this device']]);
    for (const person of roster?.people ?? []) {
      if (person.removed) continue;
      for (const deviceId of person.deviceIds) if (!choices.has(deviceId)) choices.set(deviceId, `${person.name} (device ${shortDevice(deviceId)})`);
    }
    for (const s of sources) if (!choices.has(s.config.pollerDevice)) choices.set(s.config.pollerDevice, `device ${shortDevice(s.config.pollerDevice)}`);
    return [...choices].map(([deviceId, label]) => ({ deviceId, label }));
  }, [thisDevice, roster, sources]);
}

/**
 * The incident's metric sources: each with its status, who polls it, and on its poller device the
 * local switch to poll from here and the local credentials; a form to add or edit one (and move it
 * to another poller device); Remove, after a confirmation, takes it off the incident (its samples
 * stay in the history and the charts); CSV import.
 */
export function SourcesDialog({
  incidentId,
  playbook,
  sources,
  canWrite,
  onClose,
}: {
  incidentId: string;
  playbook: Playbook;
  sources: readonly SourceView[];
  canWrite: boolean;
  onClose(): void;
}) {
  const api = useApi();
  const act = useAction();
  const [editing, setEditing] = useState<string | 'new' | null>(sources.length === 0 && canWrite ? 'new' : null);
  const [removing, setRemoving] = useState<string | null>(null);
  const pollers = usePollerChoices(sources);
  const remove = async (source: SourceView) => {
    const left = await act(() => api.invoke('sources.remove', { incidentId, sourceId: source.id }));
    if (left) setRemoving(null);
  };
  const metricTitle = (id: string) => playbook.metrics.find((m) => m.id === id)?.title ?? id;

  return (
    <Dialog title="Metric sources" onClose={onClose} className="sources-dialog">
      {sources.length === 0 && <p className="muted">No sources yet: samples come only from manual entry.</p>}
      <ul className="source-list">
        {sources.map((source) => (
          <li key={source.id} className="source-item" aria-label={source.config.name}>
            <div className="source-summary">
              <strong>{source.config.name}</strong> <span className="muted">→ {metricTitle(source.config.metric)}</span>
              <span className={`source-status ${source.status.state}`}> {statusText(source)}</span>
            </div>
            <div className="muted source-where">
              {source.config.kind} {source.config.address} {source.config.selector && <code>{source.config.selector}</code>}
              {source.pollerIsHere ? ' · polled by this device' : ` · polled by ${pollers.find((p) => p.deviceId === source.config.pollerDevice)?.label ?? `device ${shortDevice(source.config.pollerDevice)}`}`}
            </div>
            {canWrite && (
              <div className="source-actions">
                {source.pollerIsHere && POLLED_KINDS.has(source.config.kind) && (
                  <label>
                    <input
                      type="checkbox"
                      checked={source.pollingHere}
                      onChange={(e) => void act(() => api.invoke('sources.setPolling', { incidentId, sourceId: source.id, polling: e.target.checked }))}
                    />
                    Poll from this device
                  </label>
                )}
                <button type="button" onClick={() => setEditing(editing === source.id ? null : source.id)}>
                  Edit
                </button>
                <button type="button" className="danger" onClick={() => setRemoving(source.id)}>
                  Remove
                </button>
              </div>
            )}
            {canWrite && removing === source.id && (
              <div className="source-remove-confirm" role="group" aria-label={`Remove ${source.config.name}?`}>
                <p>
                  Remove “{source.config.name}” from this incident? Polling stops on {source.pollerIsHere ? 'this device' : 'its poller device'}; its samples stay in
                  the history and the charts, and the timeline records the removal.
                </p>
                <button type="button" className="danger" onClick={() => void remove(source)}>
                  Remove source
                </button>
                <button type="button" onClick={() => setRemoving(null)}>
                  Keep it
                </button>
              </div>
            )}
            {canWrite && source.pollerIsHere && POLLED_KINDS.has(source.config.kind) && <SourceCredentialsForm incidentId={incidentId} source={source} />}
            {editing === source.id && <SourceForm incidentId={incidentId} playbook={playbook} source={source} pollers={pollers} onSaved={() => setEditing(null)} />}
          </li>
        ))}
      </ul>
      {canWrite && (
        <>
          {editing === 'new' ? (
            <SourceForm incidentId={incidentId} playbook={playbook} pollers={pollers} onSaved={() => setEditing(null)} />
          ) : (
            <button type="button" onClick={() => setEditing('new')}>
              Add a source
            </button>
          )}
          <CsvImportForm incidentId={incidentId} sources={sources} />
        </>
      )}
    </Dialog>
  );
}
