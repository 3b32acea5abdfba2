/** Reading tasks and action items, open ones first, then by due time. */
import { SitrepError } from '../../../shared/errors';
import type { TaskView } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';
import { listPeople } from './roster';

interface TaskRow {
  id: string;
  type: TaskView['type'];
  title: string;
  owner: string | null;
  due_at: number | null;
  state: TaskView['state'];
  created_at: number;
  updated_by: string;
  updated_at: number;
}

export function listTasks(db: Db, incident: string): TaskView[] {
  const people = new Map(listPeople(db, incident).map((p) => [p.id, p]));
  const rows = prepared(
    db,
    `SELECT * FROM tasks WHERE incident = ?
     ORDER BY state != 'open', due_at IS NULL, due_at, created_at, id`,
  ).all(incident) as TaskRow[];
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    title: r.title,
    owner: r.owner ? (people.get(r.owner) ?? null) : null,
    dueAt: r.due_at,
    state: r.state,
    createdAt: r.created_at,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

export function taskView(db: Db, incident: string, id: string): TaskView {
  const task = listTasks(db, incident).find((t) => t.id === id);
  if (!task) throw new SitrepError('not-found', `no task ${id} in incident ${incident}`);
  return task;
}
