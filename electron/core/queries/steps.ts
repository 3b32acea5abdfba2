/** Reading the procedure steps an incident must track, each with its progress (open when untouched). */
import { parseFieldValue, type StepProgress } from '../../../shared/model/fields';
import { requiredSteps } from '../../../shared/model/response-steps';
import type { ResponseStepView } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';
import { incidentState } from './incidents';

interface ProgressRow {
  entity_id: string;
  value: string;
  by: string;
  at: number;
  conflicted: number;
}

export function listSteps(db: Db, incident: string): ResponseStepView[] {
  const state = incidentState(db, incident);
  const rows = prepared(
    db,
    `SELECT entity_id, value, by, at, conflicted FROM field_values WHERE incident = ? AND entity_type = 'step' AND field = 'progress'`,
  ).all(incident) as ProgressRow[];
  const progress = new Map(rows.map((r) => [r.entity_id, r]));
  return requiredSteps(state).map((step) => {
    const row = progress.get(step.id);
    const parsed = row ? parseFieldValue('step', 'progress', JSON.parse(row.value)) : { ok: false as const };
    const value = parsed.ok ? (parsed.value as StepProgress) : null;
    const touched = value !== null && value.state !== 'open';
    return {
      ...step,
      state: value?.state ?? 'open',
      note: touched ? value.note : '',
      by: touched && row ? row.by : null,
      at: touched && row ? row.at : null,
      conflicted: row?.conflicted === 1,
    };
  });
}
