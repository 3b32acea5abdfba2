/**
 * Rule: a task or action item is overdue while it is open and its due time has passed; done and
 * cancelled ones never are, nor one without a due time.
 */
import type { TaskView } from './views';

export const isOverdue = (task: Pick<TaskView, 'state' | 'dueAt'>, now: number): boolean => task.state === 'open' && task.dueAt !== null && now > task.dueAt;

/** How long past due an overdue task is, else null. */
export const overdueByMs = (task: Pick<TaskView, 'state' | 'dueAt'>, now: number): number | null =>
  isOverdue(task, now) && task.dueAt !== null ? now - task.dueAt : null;
