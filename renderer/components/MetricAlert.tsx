import { useState } from 'react';
import { describeIncidentAlert, type IncidentAlert } from '../../shared/model/incident-alerts';
import { utcClock } from '../format/time';

export type AlertDecision = 'accept' | 'dismiss';

/**
 * A metric crossing a threshold more severe than the incident, or a source gone down: what
 * happened, since when, and the severity suggested. The commander accepts (the severity changes) or dismisses; either
 * way the decision goes on the timeline and the banner goes. A read-only view only shows it.
 */
export function MetricAlert({ alert, onDecide }: { alert: IncidentAlert; onDecide?: (decision: AlertDecision) => Promise<void> }) {
  const [deciding, setDeciding] = useState(false);
  const decide = async (decision: AlertDecision) => {
    if (!onDecide) return;
    setDeciding(true);
    try {
      await onDecide(decision);
    } finally {
      setDeciding(false);
    }
  };

  return (
    <div className="metric-alert" role="alert">
      <p className="metric-alert-text">
        {describeIncidentAlert(alert)}
        <span className="metric-alert-since"> since {utcClock(alert.since)}</span>
      </p>
      {onDecide && (
        <div className="metric-alert-actions">
          <button type="button" className="primary" disabled={deciding} onClick={() => decide('accept')}>
            Accept {alert.suggestedSeverity}
          </button>
          <button type="button" disabled={deciding} onClick={() => decide('dismiss')}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
