import { useEffect, useState } from 'react';
import type { IncidentState } from '../../shared/model/incident';
import { OPEN_EXPORT_DIALOG_EVENT } from '../app/shortcuts';
import { useAction, useApi, useCanWrite } from '../state/console-stores';
import { ExportDialog } from './ExportDialog';
import '../styles/export.css';

/**
 * After the incident, in its header: "Export…" (any view; the palette's "Export incident…" opens it
 * too), and once the incident is resolved, "Mark post-mortem final", which sets the post-mortem-done
 * milestone and so closes the "post-mortem within 7 days" validation item.
 */
export function ReportActions({ state }: { state: IncidentState }) {
  const api = useApi();
  const act = useAction();
  const canWrite = useCanWrite();
  const [exporting, setExporting] = useState(false);
  const incidentId = state.id;
  const resolved = state.status === 'resolved' || state.status === 'closed';

  useEffect(() => {
    const open = () => setExporting(true);
    window.addEventListener(OPEN_EXPORT_DIALOG_EVENT, open);
    return () => window.removeEventListener(OPEN_EXPORT_DIALOG_EVENT, open);
  }, []);

  return (
    <div className="report-actions">
      <button type="button" aria-haspopup="dialog" onClick={() => setExporting(true)}>
        Export…
      </button>
      {state.postMortemFinal ? (
        <span className="post-mortem-final-mark">Post-mortem final</span>
      ) : (
        canWrite &&
        resolved && (
          <button type="button" onClick={() => act(() => api.invoke('incidents.markPostMortemFinal', { incidentId }))}>
            Mark post-mortem final
          </button>
        )
      )}
      {exporting && <ExportDialog incidentId={incidentId} onClose={() => setExporting(false)} />}
    </div>
  );
}
