import { useEffect, useId, useState } from 'react';
import type { DrillReport } from '../../shared/model/drill-report';
import type { ValidationState } from '../../shared/model/validation-timers';
import { utcDateTime } from '../format/time';
import { useAction, useApi, useCanWrite, useOpenIncident } from '../state/console-stores';
import '../styles/procedure-steps.css';

const STATE_LABELS: Record<ValidationState, string> = {
  met: 'met',
  missed: 'missed',
  running: 'not met (still running)',
  'not-started': 'not met (never started)',
  'not-applicable': 'does not apply',
  'no-limit': 'no limit',
};

/**
 * A drill's own panel: the scenario's replay progress, and the report of which validation items
 * were met, final once the drill is ended here.
 */
export function DrillPanel() {
  const api = useApi();
  const act = useAction();
  const view = useOpenIncident((s) => s.view);
  const canWrite = useCanWrite();
  const headingId = useId();
  const [report, setReport] = useState<DrillReport | null>(null);
  const incidentId = view?.state.drill ? view.state.id : null;

  useEffect(() => {
    if (!incidentId) return;
    let live = true;
    void api.invoke('drills.report', { incidentId }).then((r) => live && setReport(r));
    return () => {
      live = false;
    };
  }, [api, incidentId, view]);

  if (!incidentId || !report) return null;
  const end = async () => {
    const final = await act(() => api.invoke('drills.end', { incidentId }));
    if (final) setReport(final);
  };

  return (
    <section className="panel drill-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span className="drill-mark">DRILL</span> {report.scenario || 'Drill'}
      </h2>
      {report.total > 0 && (
        <p>
          Scenario replayed: {report.replayed} of {report.total} events (started {utcDateTime(report.startedAt)})
        </p>
      )}
      {report.endedAt === null ? (
        canWrite && (
          <button type="button" onClick={() => void end()}>
            End drill
          </button>
        )
      ) : (
        <p role="status">
          Drill ended {utcDateTime(report.endedAt)}: {report.met} of {report.applicable} validation items met.
        </p>
      )}
      <ul className="drill-report" aria-label="Validation items">
        {report.items.map((item) => (
          <li key={item.id} className={`drill-item drill-item-${item.state}`}>
            {item.title}: <strong>{STATE_LABELS[item.state]}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
