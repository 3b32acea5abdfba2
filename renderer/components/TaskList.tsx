import { useId, useState, type FormEvent } from 'react';
import { formatDuration } from '../../shared/model/incident-clock';
import { isOverdue, overdueByMs } from '../../shared/model/task-due';
import type { PersonView, TaskView } from '../../shared/model/views';
import { fromLocalInput, localClock, toLocalInput, utcDateTime } from '../format/time';
import { useAction, useActionError, useApi, useCanWrite, useNow, useOpenIncident } from '../state/console-stores';
import '../styles/task-list.css';
import { ActionError } from './ActionError';

/** The owner select's value for "nobody owns this". */
const NO_OWNER = '';

const TYPE_LABELS: Record<TaskView['type'], string> = { task: 'Task', 'action-item': 'Action item' };

/** Ad-hoc tasks during the incident first, then the post-incident action items. */
const TASK_GROUPS: Array<{ type: TaskView['type']; heading: string }> = [
  { type: 'task', heading: 'During the incident' },
  { type: 'action-item', heading: 'Post-incident action items' },
];


/**
 * Tasks during the incident and post-incident action items, each group open ones first by due time
 * (the core's order). An open task whose due time has passed is marked overdue by the console's
 * ticking clock, and the heading counts them.
 */
export function TaskList() {
  const incidentId = useOpenIncident((s) => s.incidentId);
  const tasks = useOpenIncident((s) => s.tasks);
  const roster = useOpenIncident((s) => s.roster);
  const canWrite = useCanWrite();
  const now = useNow();
  const headingId = useId();

  if (!incidentId) return null;
  const people = (roster?.people ?? []).filter((p) => !p.removed);
  const overdue = tasks.filter((t) => isOverdue(t, now)).length;

  return (
    <section className="panel task-list" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Tasks and action items {overdue > 0 && <strong className="overdue-mark">{overdue} overdue</strong>}
      </h2>
      {tasks.length === 0 && <p className="muted">No tasks yet.</p>}
      {TASK_GROUPS.map(({ type, heading }) => {
        const group = tasks.filter((t) => t.type === type);
        if (group.length === 0) return null;
        return (
          <section key={type} aria-label={heading}>
            <h3 className="task-group">
              {heading} <span className="muted">({group.filter((t) => t.state === 'open').length} open)</span>
            </h3>
            <ul className="tasks">
              {group.map((task) => (
                <TaskRow key={task.id} task={task} people={people} incidentId={incidentId} canWrite={canWrite} />
              ))}
            </ul>
          </section>
        );
      })}
      {canWrite && <AddTaskForm incidentId={incidentId} people={people} />}
    </section>
  );
}

function TaskRow({ task, people, incidentId, canWrite }: { task: TaskView; people: PersonView[]; incidentId: string; canWrite: boolean }) {
  const api = useApi();
  const act = useAction();
  const now = useNow();
  const titleId = useId();
  const taskId = task.id;
  const update = (change: { ownerId?: string | null; dueAt?: number | null; state?: TaskView['state'] }) =>
    act(() => api.invoke('tasks.update', { incidentId, taskId, ...change }));
  const overdueMs = overdueByMs(task, now);

  return (
    <li className={`task task-${task.state}${overdueMs !== null ? ' task-overdue' : ''}`} aria-labelledby={titleId}>
      <div className="task-heading">
        <span className="task-type">{TYPE_LABELS[task.type]}</span>
        <span id={titleId} className="task-title">
          {task.title}
        </span>
        <span className="task-state">{task.state}</span>
        {overdueMs !== null && <strong className="overdue-mark">overdue by {formatDuration(overdueMs)}</strong>}
      </div>
      <div className="task-details">
        {canWrite ? (
          <select
            aria-label={`Owner of ${task.title}`}
            value={task.owner?.id ?? NO_OWNER}
            onChange={(e) => void update({ ownerId: e.target.value === NO_OWNER ? null : e.target.value })}
          >
            <option value={NO_OWNER}>No owner</option>
            {task.owner?.removed && <option value={task.owner.id}>{task.owner.name} (removed)</option>}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="task-owner">{task.owner ? task.owner.name : <span className="muted">no owner</span>}</span>
        )}
        {task.dueAt === null ? (
          <span className="muted">no due time</span>
        ) : (
          <span className="task-due">
            due {utcDateTime(task.dueAt)} <span className="muted">({localClock(task.dueAt)} local)</span>
          </span>
        )}
        {canWrite && (
          <input
            // A due time changed elsewhere replaces what the field shows.
            key={task.dueAt ?? 'none'}
            type="datetime-local"
            aria-label={`Due time of ${task.title}`}
            defaultValue={task.dueAt === null ? '' : toLocalInput(task.dueAt)}
            onBlur={(e) => {
              const dueAt = fromLocalInput(e.currentTarget.value);
              if (dueAt !== task.dueAt) void update({ dueAt });
            }}
          />
        )}
      </div>
      {canWrite && (
        <div className="task-actions">
          {task.state === 'open' ? (
            <>
              <button type="button" aria-label={`Mark ${task.title} done`} onClick={() => void update({ state: 'done' })}>
                Done
              </button>
              <button type="button" aria-label={`Cancel ${task.title}`} onClick={() => void update({ state: 'cancelled' })}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" aria-label={`Reopen ${task.title}`} onClick={() => void update({ state: 'open' })}>
              Reopen
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function AddTaskForm({ incidentId, people }: { incidentId: string; people: PersonView[] }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<TaskView['type']>('task');
  const [ownerId, setOwnerId] = useState(NO_OWNER);
  const [due, setDue] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const added = await run(() =>
      api.invoke('tasks.add', { incidentId, title, type, ownerId: ownerId === NO_OWNER ? null : ownerId, dueAt: fromLocalInput(due) }),
    );
    if (!added) return;
    setTitle('');
    setOwnerId(NO_OWNER);
    setDue('');
  };

  return (
    <form className="add-task" aria-label="Add a task" onSubmit={(e) => void submit(e)}>
      <label className="add-task-title">
        Task title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value as TaskView['type'])}>
          {Object.entries(TYPE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Owner
        <select value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
          <option value={NO_OWNER}>No owner</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Due (local time)
        <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        Add task
      </button>
      <ActionError error={error} />
    </form>
  );
}
