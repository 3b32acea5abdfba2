import { useEffect, useState } from 'react';
import { formatDuration } from '../../shared/model/incident-clock';
import type { Playbook } from '../../shared/playbook/schema';
import { DIRECTORY_HREF, incidentHref, JOIN_HREF, navigate, REVIEW_HREF, useRoute } from '../app/route';
import { utcDateTime } from '../format/time';
import { useApi, useIncidentList, useNow } from '../state/console-stores';
import { DeclareIncidentForm } from './DeclareIncidentForm';
import { DeviceName } from './DeviceName';
import { ImportEvidenceForm } from './ImportEvidenceForm';
import { JoinIncidentForm } from './JoinIncidentForm';
import { SeverityBadge } from './SeverityBadge';
import { StartDrill } from './StartDrill';
import { ThemeToggle } from './ThemeToggle';

/** Active and past incidents, declaring a new one, and joining one shared by link (#/join). */
export function IncidentList() {
  const api = useApi();
  const route = useRoute();
  const joining = api.access === 'write' && route.screen === 'incidents' && route.joining === true;
  const incidents = useIncidentList((s) => s.incidents);
  const loaded = useIncidentList((s) => s.loaded);
  const now = useNow();
  const [playbook, setPlaybook] = useState<Playbook | null>(null);
  const [declaring, setDeclaring] = useState(false);
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    void api.invoke('playbook.getActive', {}).then((active) => setPlaybook(active.playbook));
  }, [api]);

  const active = incidents.filter((i) => i.status === 'active' || i.status === 'mitigated');
  const past = incidents.filter((i) => i.status === 'resolved' || i.status === 'closed');

  const table = (rows: typeof incidents, caption: string) => (
    <table className="incident-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Incident</th>
          <th scope="col">Status</th>
          <th scope="col">Age</th>
          <th scope="col">Commander</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={i.id}>
            <td>{playbook ? <SeverityBadge severity={i.severity} playbook={playbook} /> : i.severity}</td>
            <td>
              <a href={incidentHref(i.id)}>{i.title}</a>
              {i.drill && <span className="drill-mark"> DRILL</span>}
              <div className="muted">declared {utcDateTime(i.declaredAt)}</div>
            </td>
            <td>{i.status}</td>
            <td>{formatDuration(now - i.declaredAt)}</td>
            <td>{i.commander ?? <span className="muted">unassigned</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <main className="incident-list">
      <header className="list-header">
        <h1>Sitrep</h1>
        <DeviceName />
        <div className="list-header-actions">
          <ThemeToggle />
          <a href={REVIEW_HREF}>Response review</a>
          <a href={DIRECTORY_HREF}>Team directory</a>
          {api.access === 'write' && !joining && (
            <button type="button" onClick={() => navigate(JOIN_HREF)}>
              Join incident
            </button>
          )}
          {api.access === 'write' && !importing && (
            <button type="button" onClick={() => setImporting(true)}>
              Import evidence bundle…
            </button>
          )}
          {api.access === 'write' && <StartDrill />}
          {api.access === 'write' && !declaring && (
            <button type="button" className="primary" onClick={() => setDeclaring(true)} aria-keyshortcuts="n">
              Declare incident
            </button>
          )}
        </div>
      </header>
      {joining && <JoinIncidentForm onCancel={() => navigate('#/')} />}
      {importing && <ImportEvidenceForm onCancel={() => setImporting(false)} />}
      {declaring && playbook && <DeclareIncidentForm playbook={playbook} onCancel={() => setDeclaring(false)} />}
      {loaded && incidents.length === 0 && !declaring && !joining && !importing && <p className="empty">No incidents on this device yet.</p>}
      {active.length > 0 && table(active, 'Active incidents')}
      {past.length > 0 && table(past, 'Past incidents')}
    </main>
  );
}
