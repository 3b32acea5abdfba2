import type { Playbook, Severity } from '../../shared/playbook/schema';

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever contrasts more with the playbook's colour (white on P1's #f9a825 is 2:1). */
function textOn(background: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(background)) return '#fff';
  const l = luminance(background);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/** The severity in the pinned playbook's colour, with its label for those who cannot tell colours apart. */
export function SeverityBadge({ severity, playbook, large }: { severity: Severity; playbook: Playbook; large?: boolean }) {
  const definition = playbook.severities.find((s) => s.id === severity);
  const background = definition?.colour ?? '#666666';
  const colour = textOn(background);
  return (
    <span
      className={`severity-badge${large ? ' severity-badge-large' : ''}`}
      style={{ background, color: colour, textShadow: colour === '#000' ? 'none' : undefined }}
      title={definition ? `${severity} ${definition.label}` : severity}
    >
      {severity}
      <span className="severity-label"> {definition?.label}</span>
    </span>
  );
}
