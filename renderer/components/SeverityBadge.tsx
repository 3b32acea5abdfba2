import type { Playbook, Severity } from '../../shared/playbook/schema';

/** The severity in the pinned playbook's colour, with its label for those who cannot tell colours apart. */
export function SeverityBadge({ severity, playbook, large }: { severity: Severity; playbook: Playbook; large?: boolean }) {
  const definition = playbook.severities.find((s) => s.id === severity);
  return (
    <span
      className={`severity-badge${large ? ' severity-badge-large' : ''}`}
      style={{ background: definition?.colour ?? '#666' }}
      title={definition ? `${severity} ${definition.label}` : severity}
    >
      {severity}
      <span className="severity-label"> {definition?.label}</span>
    </span>
  );
}
