import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IncidentList } from '../../renderer/components/IncidentList';
import { caught } from '../support/api-expect';
import { testCore } from '../support/cores';
import { renderConsole } from '../support/render-console';

describe('IncidentList', () => {
  it('declares an incident from the keyboard alone, with the classification helper', async () => {
    const { core } = testCore({ name: 'Ana' });
    const user = userEvent.setup();
    const { stores } = renderConsole(<IncidentList />, core);
    await stores.incidents.getState().refresh();

    await user.click(await screen.findByRole('button', { name: 'Declare incident' }));
    await user.keyboard('Payments failing');
    // The helper shows the playbook's criteria for the chosen severity.
    await user.click(screen.getByRole('radio', { name: /P0 Critical/ }));
    const helper = screen.getByRole('region', { name: 'What makes an incident P0' });
    expect(within(helper).getByText('Payment System Issues')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Category'), 'Payment System Issues');
    await user.click(screen.getByRole('checkbox', { name: /API Services/ }));
    await user.keyboard('{Enter}');

    await waitFor(() => expect(window.location.hash).toMatch(/^#\/incident\//));
    const [declared] = core.call('incidents.list', {});
    expect(declared).toMatchObject({ title: 'Payments failing', severity: 'P0', status: 'active' });
    const state = core.call('incidents.get', { incidentId: declared.id }).state;
    expect(state.category).toBe('Payment System Issues');
    expect(state.affectedSystems).toEqual(['api-services']);
  });

  it('a refused declaration says why inside the form and keeps what was typed', async () => {
    const { core } = testCore({ name: 'Ana' });
    const user = userEvent.setup();
    const { stores } = renderConsole(<IncidentList />, core);
    await user.click(await screen.findByRole('button', { name: 'Declare incident' }));
    const title = 'Payments failing '.repeat(12);
    const refusal = caught(() => core.call('incidents.declare', { title, severity: 'P1' })).message;
    await user.paste(title);
    await user.click(screen.getByRole('button', { name: 'Declare' }));

    const form = screen.getByRole('form', { name: 'Declare incident' });
    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal);
    expect(within(form).getByRole('textbox', { name: 'Title' })).toHaveValue(title);
    expect(core.call('incidents.list', {})).toEqual([]);
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('lists active incidents with severity, status, commander and the drill mark', async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Quarterly drill', severity: 'P2', drill: true });
    const ana = core.call('roster.addPerson', { incidentId, name: 'Ana Lima' }).people[0].id;
    core.call('roster.assign', { incidentId, roleId: 'incident-commander', personId: ana });
    const { stores } = renderConsole(<IncidentList />, core);
    await stores.incidents.getState().refresh();

    const table = await screen.findByRole('table', { name: 'Active incidents' });
    const row = within(table).getByRole('row', { name: /Quarterly drill/ });
    expect(within(row).getByText('DRILL')).toBeInTheDocument();
    expect(within(row).getByText('P2')).toBeInTheDocument();
    expect(within(row).getByText('active')).toBeInTheDocument();
    expect(within(row).getByText('Ana Lima')).toBeInTheDocument();
  });
});
