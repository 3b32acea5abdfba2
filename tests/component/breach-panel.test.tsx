import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BreachPanel } from '../../renderer/components/BreachPanel';
import { toLocalInput } from '../../renderer/format/time';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

async function showBreach(access: 'write' | 'read' = 'write') {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Accounts leaked', severity: 'P0' });
  tc.core.call('roster.addPerson', { incidentId, name: 'Lee Counsel' });
  tc.clock.set(T0 + 30 * MINUTE);
  const rendered = renderConsole(<BreachPanel />, tc.core, access, { now: tc.clock.now });
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId };
}

describe('BreachPanel', () => {
  it('flagging asks for aware-at and the data impact, then tracks the breach steps and HIPAA items with the deadline', async () => {
    const user = userEvent.setup();
    const { core, incidentId } = await showBreach();
    await user.click(screen.getByRole('button', { name: 'Flag a data breach…' }));
    const dialog = screen.getByRole('dialog', { name: 'Flag a data breach' });
    fireEvent.change(within(dialog).getByLabelText('Aware at (local time)'), { target: { value: toLocalInput(T0 + 10 * MINUTE) } });
    await user.type(within(dialog).getByLabelText('What data is affected'), 'email addresses');
    await user.type(within(dialog).getByLabelText('How many users'), '1,200');
    await user.click(within(dialog).getByRole('button', { name: 'Flag breach' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const panel = screen.getByRole('region', { name: 'Data breach' });
    expect(panel).toHaveTextContent('Aware at2026-11-29 14:10Z');
    expect(panel).toHaveTextContent('Report to authorities by2026-12-02 14:10Z (2d 23h left)');
    expect(panel).toHaveTextContent('Data affectedemail addresses');
    expect(panel).toHaveTextContent('Users affected1,200');
    expect(within(panel).getByRole('listitem', { name: 'Legal Notification' })).toBeInTheDocument();
    expect(within(panel).getByRole('listitem', { name: 'Audit Trail' })).toBeInTheDocument();
    expect(core.call('incidents.get', { incidentId }).state.breach).toEqual({ flagged: true, awareAt: T0 + 10 * MINUTE });

    const suggestion = within(panel).getByRole('form', { name: 'Suggested: assign Legal' });
    await user.selectOptions(within(suggestion).getByLabelText('Legal'), 'Lee Counsel');
    await user.click(within(suggestion).getByRole('button', { name: 'Assign Legal' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Suggested: assign Legal' })).not.toBeInTheDocument());
    expect(core.call('roster.get', { incidentId }).roles.find((r) => r.roleId === 'legal')?.holder?.name).toBe('Lee Counsel');
  });

  it('refuses an aware-at in the future, saying so in the dialog', async () => {
    const user = userEvent.setup();
    await showBreach();
    await user.click(screen.getByRole('button', { name: 'Flag a data breach…' }));
    const dialog = screen.getByRole('dialog', { name: 'Flag a data breach' });
    fireEvent.change(within(dialog).getByLabelText('Aware at (local time)'), { target: { value: toLocalInput(T0 + 90 * MINUTE) } });
    await user.click(within(dialog).getByRole('button', { name: 'Flag breach' }));
    expect(await within(dialog).findByText(/awareAt: must not be in the future/)).toBeInTheDocument();
  });

  it('a read-only view of an unflagged incident shows no breach panel', async () => {
    await showBreach('read');
    expect(screen.queryByRole('region', { name: 'Data breach' })).not.toBeInTheDocument();
  });
});
