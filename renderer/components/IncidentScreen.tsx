import { useOpenIncident, useOpenIncidentInStores, useSync } from '../state/console-stores';
import { BreachPanel } from './BreachPanel';
import { CommsPanel } from './CommsPanel';
import { DrillPanel } from './DrillPanel';
import { DueNotifications } from './DueNotifications';
import { IncidentHeader } from './IncidentHeader';
import { MetricCharts } from './MetricCharts';
import { PhaseChecklist } from './PhaseChecklist';
import { ResponseSteps } from './ResponseSteps';
import { Roster } from './Roster';
import { TaskList } from './TaskList';
import { ThemeToggle } from './ThemeToggle';
import { Timeline } from './Timeline';
import { ValidationTimers } from './ValidationTimers';

/**
 * One screen, 1280×720 and up: header with the clocks; roster and checklist on the left; the
 * timeline in the middle; validation timers, charts and communications on the right.
 */
export function IncidentScreen({ incidentId }: { incidentId: string }) {
  const view = useOpenIncident((s) => s.view);
  const error = useOpenIncident((s) => s.error);
  const sync = useSync((s) => (s.incidentId === incidentId ? s.status : null));

  useOpenIncidentInStores(incidentId);

  // Just joined by link: the incident is on its way from the relay (the screen fills in when it lands).
  if (error && !view && sync && sync.relay !== null) {
    return (
      <main className="incident-screen" aria-busy="true">
        <p role="status">
          Fetching this incident from relay {sync.relay}: {sync.state === 'catching-up' && sync.catchingUp ? `${sync.catchingUp.received} of ${sync.catchingUp.total} changes` : sync.state}
          {sync.lastError && sync.state !== 'live' ? ` (${sync.lastError.message})` : ''}…
        </p>
        <a href="#/">Back to incidents</a>
      </main>
    );
  }
  if (error) {
    return (
      <main className="incident-screen">
        <p role="alert">{error}</p>
        <a href="#/">Back to incidents</a>
      </main>
    );
  }
  if (!view) return <main className="incident-screen" aria-busy="true" />;
  return (
    <main className="incident-screen">
      <nav className="breadcrumb">
        <a href="#/">Incidents</a>
        <div className="breadcrumb-tools">
          <DueNotifications />
          <ThemeToggle />
        </div>
      </nav>
      <IncidentHeader view={view} />
      <div className="incident-grid">
        <section className="column column-left" aria-label="Team and procedure">
          <Roster />
          <ResponseSteps />
          <BreachPanel />
          <PhaseChecklist />
          <TaskList />
        </section>
        <section className="column column-center" aria-label="Timeline">
          <Timeline />
        </section>
        <section className="column column-right" aria-label="Clocks, metrics and communications">
          <DrillPanel />
          <ValidationTimers />
          <MetricCharts />
          <CommsPanel />
        </section>
      </div>
    </main>
  );
}
