/**
 * The incident's replicated state as JSON, for other tools: exactly what every replica holding the
 * same ops folds (electron/core/queries/replicated-state.ts), under a small versioned envelope. Keys
 * come out in a fixed order so the same state gives the same bytes.
 */
import type { IncidentReport } from './incident-report';
import { utcIso } from './report-time';

export const JSON_EXPORT_FORMAT = 'sitrep.incident';
export const JSON_EXPORT_VERSION = 1;

export function renderJson(report: IncidentReport): string {
  const { generatedAt, ...state } = report;
  const document = {
    format: JSON_EXPORT_FORMAT,
    version: JSON_EXPORT_VERSION,
    exportedAt: utcIso(generatedAt),
    drill: state.incident.drill,
    ...(state.incident.drill ? { notice: 'DRILL: this incident was an exercise' } : {}),
    state,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
