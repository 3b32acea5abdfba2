/**
 * Building field writes: each carries as `pred` the writes this device sees as the field's current
 * value (its heads), so the write supersedes exactly what its author saw (DESIGN.md §4).
 */
import type { EntityType } from '../../../shared/model/fields';
import type { FieldWrite } from '../../../shared/model/op-payload';
import { prepared, type Db } from '../store/database';

export function currentHeads(db: Db, incident: string, type: EntityType, id: string, field: string): string[] {
  const row = prepared(db, 'SELECT heads FROM field_values WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ?').get(
    incident, type, id, field,
  ) as { heads: string } | undefined;
  return row ? (JSON.parse(row.heads) as string[]) : [];
}

export function fieldWrite(db: Db, incident: string, type: EntityType, id: string, field: string, value: unknown): FieldWrite {
  return { entity: { type, id }, field, value, pred: currentHeads(db, incident, type, id, field) };
}

/** The current value of a field, or undefined when it was never written. */
export function currentValue<T>(db: Db, incident: string, type: EntityType, id: string, field: string): T | undefined {
  const row = prepared(db, 'SELECT value FROM field_values WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ?').get(
    incident, type, id, field,
  ) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}
