/** Reading metric samples in time order. */
import type { SampleView } from '../../../shared/model/views';
import type { Db } from '../store/database';

export function listSamples(db: Db, incident: string, filter: { metric?: string; from?: number; to?: number }): SampleView[] {
  const where = ['incident = ?'];
  const params: unknown[] = [incident];
  if (filter.metric) {
    where.push('metric = ?');
    params.push(filter.metric);
  }
  if (filter.from !== undefined) {
    where.push('t >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('t <= ?');
    params.push(filter.to);
  }
  return (
    db.prepare(`SELECT metric, source, t, value, device FROM samples WHERE ${where.join(' AND ')} ORDER BY t, metric, source, device`).all(...params) as SampleView[]
  );
}
