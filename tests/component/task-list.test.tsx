import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TaskList } from '../../renderer/components/TaskList';
import { localClock, toLocalInput } from '../../renderer/format/time';
import { caught } from '../support/api-expect';
import { T0, testCore } from '../support/cores';
import { moveClockTo, openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

async function showTasks(access: 'write' | 'read' = 'write', prepare?: (tc: ReturnType<typeof testCore>, incidentId: string, people: Record<string, string>) => void) {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  const people: Record<string, string> = {};
  for (const name of ['Ben Ode', 'Cy Park']) {
    people[name] = tc.core.call('roster.addPerson', { incidentId, name }).people.find((p) => p.name === name)?.id ?? '';
  }
  prepare?.(tc, incidentId, people);
  const rendered = renderConsole(<TaskList />, tc.core, access, { now: tc.clock.now });
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId, people };
}

const task = (title: string) => screen.getByRole('listitem', { name: title });

describe('TaskList', () => {
  it('adds a task with owner and due time, marks it overdue once the clock passes due, and marks it done', async () => {
    const user = userEvent.setup();
    const { stores, clock } = await showTasks();
    const dueAt = T0 + 30 * MINUTE;

    const form = screen.getByRole('form', { name: 'Add a task' });
    await user.type(within(form).getByLabelText('Task title'), 'Restart payment workers');
    await user.selectOptions(within(form).getByLabelText('Owner'), 'Ben Ode');
    fireEvent.change(within(form).getByLabelText('Due (local time)'), { target: { value: toLocalInput(dueAt) } });
    await user.click(within(form).getByRole('button', { name: 'Add task' }));

    const row = await screen.findByRole('listitem', { name: 'Restart payment workers' });
    expect(within(row).getByText('Task')).toBeInTheDocument();
    expect(within(row).getByRole('combobox', { name: 'Owner of Restart payment workers' })).toHaveDisplayValue('Ben Ode');
    expect(row).toHaveTextContent(`due 2026-11-29 14:30Z (${localClock(dueAt)} local)`);
    expect(within(row).getByText('open')).toBeInTheDocument();
    expect(within(row).queryByText(/overdue/)).not.toBeInTheDocument();
    expect(within(form).getByLabelText('Task title')).toHaveValue('');

    await moveClockTo(stores, clock, dueAt + 1 * MINUTE);
    expect(within(task('Restart payment workers')).getByText('overdue by 1m 00s')).toBeInTheDocument();
    await moveClockTo(stores, clock, dueAt + 2 * MINUTE + 5_000);
    expect(within(task('Restart payment workers')).getByText('overdue by 2m 05s')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark Restart payment workers done' }));

    await waitFor(() => expect(within(task('Restart payment workers')).getByText('done')).toBeInTheDocument());
    expect(within(task('Restart payment workers')).queryByText(/overdue/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reopen Restart payment workers' })).toBeInTheDocument();
  });

  it('adds an action item without owner or due time', async () => {
    const user = userEvent.setup();
    await showTasks();

    const form = screen.getByRole('form', { name: 'Add a task' });
    await user.type(within(form).getByLabelText('Task title'), 'Add alert on queue depth');
    await user.selectOptions(within(form).getByLabelText('Type'), 'Action item');
    await user.click(within(form).getByRole('button', { name: 'Add task' }));

    const row = await screen.findByRole('listitem', { name: 'Add alert on queue depth' });
    expect(within(row).getByText('Action item')).toBeInTheDocument();
    expect(within(row).getByText('no due time')).toBeInTheDocument();
    expect(within(row).getByRole('combobox', { name: 'Owner of Add alert on queue depth' })).toHaveDisplayValue('No owner');
  });

  it('a refused task stays in the form, with the reason inside it', async () => {
    const user = userEvent.setup();
    const { core, incidentId, stores } = await showTasks();
    const title = 'Restart payment workers '.repeat(9);
    const refusal = caught(() => core.call('tasks.add', { incidentId, title })).message;

    const form = screen.getByRole('form', { name: 'Add a task' });
    await user.click(within(form).getByLabelText('Task title'));
    await user.paste(title);
    await user.selectOptions(within(form).getByLabelText('Owner'), 'Ben Ode');
    await user.click(within(form).getByRole('button', { name: 'Add task' }));

    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal);
    expect(within(form).getByLabelText('Task title')).toHaveValue(title);
    expect(within(form).getByLabelText('Owner')).toHaveDisplayValue('Ben Ode');
    expect(core.call('tasks.list', { incidentId })).toEqual([]);
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('changes owner and due time, and cancels a task', async () => {
    const user = userEvent.setup();
    const { core, incidentId } = await showTasks('write', ({ core }, incidentId, people) => {
      core.call('tasks.add', { incidentId, title: 'Page the DBA', ownerId: people['Ben Ode'], dueAt: T0 + 10 * MINUTE });
    });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Owner of Page the DBA' }), 'Cy Park');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Owner of Page the DBA' })).toHaveDisplayValue('Cy Park'));

    const due = screen.getByLabelText('Due time of Page the DBA');
    expect(due).toHaveValue(toLocalInput(T0 + 10 * MINUTE));
    fireEvent.change(due, { target: { value: toLocalInput(T0 + 45 * MINUTE) } });
    fireEvent.blur(due);
    await waitFor(() => expect(task('Page the DBA')).toHaveTextContent('due 2026-11-29 14:45Z'));

    await user.click(screen.getByRole('button', { name: 'Cancel Page the DBA' }));
    await waitFor(() => expect(within(task('Page the DBA')).getByText('cancelled')).toBeInTheDocument());
    expect(core.call('tasks.list', { incidentId })[0]).toMatchObject({ state: 'cancelled', dueAt: T0 + 45 * MINUTE, owner: { name: 'Cy Park' } });
  });

  it('shows tasks, owners and the overdue mark without any control in a read-only view', async () => {
    const { stores, clock } = await showTasks('read', ({ core }, incidentId, people) => {
      core.call('tasks.add', { incidentId, title: 'Page the DBA', ownerId: people['Ben Ode'], dueAt: T0 + 10 * MINUTE });
    });
    await moveClockTo(stores, clock, T0 + 15 * MINUTE);

    const row = task('Page the DBA');
    expect(within(row).getByText('Ben Ode')).toBeInTheDocument();
    expect(within(row).getByText('overdue by 5m 00s')).toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });

  it('groups tasks during the incident apart from post-incident action items and counts the overdue ones', async () => {
    const { stores, clock } = await showTasks('write', ({ core }, incidentId) => {
      core.call('tasks.add', { incidentId, title: 'Page the DBA', dueAt: T0 + 10 * MINUTE });
      core.call('tasks.add', { incidentId, title: 'Fail over the replica', dueAt: T0 + 60 * MINUTE });
      core.call('tasks.add', { incidentId, title: 'Alert on replication lag', type: 'action-item', dueAt: T0 + 5 * MINUTE });
    });
    const during = screen.getByRole('region', { name: 'During the incident' });
    const after = screen.getByRole('region', { name: 'Post-incident action items' });
    expect(within(during).getAllByRole('listitem').map((li) => li.querySelector('.task-title')?.textContent)).toEqual(['Page the DBA', 'Fail over the replica']);
    expect(within(after).getByRole('listitem', { name: 'Alert on replication lag' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /^Tasks and action items/ })).not.toHaveTextContent('overdue');

    await moveClockTo(stores, clock, T0 + 20 * MINUTE);
    expect(screen.getByRole('heading', { name: /^Tasks and action items/ })).toHaveTextContent('2 overdue');
    expect(within(after).getByText('overdue by 15m 00s')).toBeInTheDocument();
  });
});
