import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseSteps } from '../../renderer/components/ResponseSteps';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

async function showSteps(access: 'write' | 'read' = 'write') {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  const rendered = renderConsole(<ResponseSteps />, tc.core, access, { now: tc.clock.now });
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId };
}

const step = (title: string) => screen.getByRole('listitem', { name: title });

describe('ResponseSteps', () => {
  it('lists the P1 actions and notification as prompts, marks one done with who and when', async () => {
    const user = userEvent.setup();
    const { clock } = await showSteps();
    const p1 = screen.getByRole('region', { name: 'P1 response' });
    expect(within(p1).getAllByRole('listitem').map((li) => li.querySelector('.step-title')?.textContent)).toEqual([
      'Alert Technical Team',
      'Increase Monitoring',
      'Log Analysis',
      'Performance Profiling',
      'Notify the primary response team now',
    ]);
    expect(within(step('Notify the primary response team now')).getByText(/team directory/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Response actions/ })).toHaveTextContent('5 to do');

    clock.set(T0 + 4 * MINUTE);
    await user.click(screen.getByRole('button', { name: 'Mark Alert Technical Team done' }));
    await waitFor(() => expect(within(step('Alert Technical Team')).getByText('Done by Ana at 14:04:00Z')).toBeInTheDocument());
    expect(screen.getByRole('heading', { name: /Response actions/ })).toHaveTextContent('4 to do');
  });

  it('skipping asks for a reason and will not skip without one; the reason is shown', async () => {
    const user = userEvent.setup();
    await showSteps();
    await user.click(screen.getByRole('button', { name: 'Skip Performance Profiling' }));
    const form = screen.getByRole('form', { name: 'Skip Performance Profiling' });
    await user.click(within(form).getByRole('button', { name: 'Skip step' }));
    expect(within(step('Performance Profiling')).getByText('to do')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('Why skip it?'), 'profiler adds load');
    await user.click(within(form).getByRole('button', { name: 'Skip step' }));
    await waitFor(() => expect(within(step('Performance Profiling')).getByText(/Skipped by Ana at .* reason: profiler adds load/)).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Reopen Performance Profiling' }));
    await waitFor(() => expect(within(step('Performance Profiling')).getByText('to do')).toBeInTheDocument());
  });

  it('an escalation to P0 adds the P0 steps to the panel', async () => {
    const { core, incidentId } = await showSteps();
    await act(async () => {
      await core.invoke('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
    });
    const p0 = await screen.findByRole('region', { name: 'P0 response' });
    expect(within(p0).getByRole('listitem', { name: 'Notify On-Call' })).toBeInTheDocument();
    expect(within(p0).getByText('PagerDuty escalation')).toBeInTheDocument();
  });

  it('a read-only view shows steps without buttons', async () => {
    await showSteps('read');
    expect(step('Log Analysis')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /done|Skip/ })).not.toBeInTheDocument();
  });

  it('while the team is not yet notified, lists the directory people of primary-team roles with their numbers', async () => {
    const user = userEvent.setup();
    const tc = testCore({ name: 'Ana' });
    tc.core.call('directory.import', { fileName: 'team.csv', text: 'kind,name,roles,phone\nperson,Bea Lind,technical-lead,+44 20 7946 0001\nperson,Dee QA,qa,555-0009\n' });
    const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    const { stores } = renderConsole(<ResponseSteps />, tc.core, 'write', { now: tc.clock.now });
    await act(() => openIncident(stores, incidentId));
    const calls = await screen.findByRole('region', { name: 'Who to call' });
    expect(within(calls).getByRole('link', { name: '+44 20 7946 0001' })).toHaveAttribute('href', 'tel:+442079460001');
    expect(calls).not.toHaveTextContent('Dee QA');
    await user.click(screen.getByRole('button', { name: 'Mark Notify the primary response team now done' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Who to call' })).not.toBeInTheDocument());
    expect(tc.core.call('incidents.get', { incidentId }).state.milestones.teamNotified?.at).toBe(T0);
  });
});
