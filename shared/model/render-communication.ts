/**
 * Filling a communication template from the incident (DESIGN.md §7): each placeholder takes its
 * value from its declared source; a manual one, or one overridden by the person sending, from
 * `values`. A placeholder left without a value stays visible as [Label] and is listed as missing,
 * so nobody sends a half-filled message without seeing it.
 */
import type { CommunicationTemplate } from '../playbook/schema';
import type { IncidentState } from './incident';
import { formatUtcMinute } from './incident-clock';
import { nextUpdateDue } from './update-cadence';
import type { RenderedCommunication } from './views';

/** How the customer template's "Current Status" reads for each incident status. */
const PUBLIC_STATUS: Record<IncidentState['status'], string> = {
  active: 'Investigating',
  mitigated: 'Mitigated, monitoring',
  resolved: 'Resolved',
  closed: 'Resolved',
};

function sourceValue(template: CommunicationTemplate['placeholders'][number], incident: IncidentState, now: number): string | undefined {
  switch (template.source) {
    case 'severity':
      return incident.severity;
    case 'title':
      return incident.title;
    case 'detectedAt': {
      const at = incident.milestones.detected?.at;
      return at === undefined ? undefined : formatUtcMinute(at);
    }
    case 'affected': {
      const names = incident.affectedSystems.map(
        (id) => incident.playbook.recoveryObjectives.find((o) => o.id === id)?.system ?? id,
      );
      return names.length ? names.join(', ') : undefined;
    }
    case 'phase':
      return incident.playbook.phases.find((p) => p.id === incident.phase)?.title;
    case 'status':
      return PUBLIC_STATUS[incident.status];
    case 'nextUpdateAt': {
      const next = nextUpdateDue(incident, now);
      return next ? formatUtcMinute(Math.max(next.dueAt, now)) : undefined;
    }
    case 'summary':
      return incident.summary.trim() || incident.title;
    case 'manual':
      return undefined;
  }
}

export function renderCommunication(
  template: CommunicationTemplate,
  incident: IncidentState,
  values: Readonly<Record<string, string>>,
  now: number,
): RenderedCommunication {
  const missing: string[] = [];
  const filled = new Map<string, string>();
  for (const p of template.placeholders) {
    const value = values[p.key]?.trim() || sourceValue(p, incident, now);
    if (value) filled.set(p.key, value);
    else {
      missing.push(p.key);
      filled.set(p.key, `[${p.label}]`);
    }
  }
  const fill = (text: string) => text.replace(/\{\{([^}]+)\}\}/g, (_, key: string) => filled.get(key) ?? `[${key}]`);
  return {
    templateId: template.id,
    subject: template.subject ? fill(template.subject) : null,
    body: fill(template.body),
    missing,
  };
}
