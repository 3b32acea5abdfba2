import { useState } from 'react';
import { POLLED_KINDS } from '../../shared/model/metric-source';
import type { SourceView } from '../../shared/model/views';
import type { Playbook } from '../../shared/playbook/schema';
import { utcClock } from '../format/time';
import { useAction, useApi } from '../state/console-stores';
import { CsvImportForm } from './CsvImportForm';
import { Dialog } from './Dialog';
import { SourceCredentialsForm } from './SourceCredentialsForm';
import { SourceForm } from './SourceForm';
import '../styles/sources.css';

function statusText(source: SourceView): string {
  const { status } = source;
  if (status.state === 'unknown') return 'not polled yet';
  if (status.state === 'up') return `up at ${utcClock(status.at ?? 0)}`;
  return `down since ${utcClock(status.downSince ?? status.at ?? 0)}: ${status.reason}`;
}

/**
 * The incident's metric sources: each with its status, who polls it, and on its poller device the
 * local switch to poll from here and the local credentials; a form to add or edit one; CSV import.
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
              {source.pollerIsHere ? ' · polled by this device' : ` · polled by device ${source.config.pollerDevice.slice(0, 8)}`}
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
              </div>
            )}
            {canWrite && source.pollerIsHere && POLLED_KINDS.has(source.config.kind) && <SourceCredentialsForm incidentId={incidentId} source={source} />}
            {editing === source.id && <SourceForm incidentId={incidentId} playbook={playbook} source={source} onSaved={() => setEditing(null)} />}
          </li>
        ))}
      </ul>
      {canWrite && (
        <>
          {editing === 'new' ? (
            <SourceForm incidentId={incidentId} playbook={playbook} onSaved={() => setEditing(null)} />
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
