/** The review screen's figures: every incident on this device, folded, with its tasks (shared/model/review-metrics). */
import type { ApiParsedArgs } from '../../../shared/api';
import { reviewMetrics, type ReviewMetrics } from '../../../shared/model/review-metrics';
import type { Db } from '../store/database';
import { incidentState, listIncidents } from './incidents';
import { listTasks } from './tasks';

export function reviewOf(db: Db, filter: ApiParsedArgs<'review.metrics'>, now: number): ReviewMetrics {
  const incidents = listIncidents(db).map(({ id }) => ({ state: incidentState(db, id), tasks: listTasks(db, id) }));
  return reviewMetrics(incidents, filter, now);
}
