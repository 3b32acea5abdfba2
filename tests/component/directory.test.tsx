import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DirectoryScreen } from '../../renderer/components/DirectoryScreen';
import { Roster } from '../../renderer/components/Roster';
import { testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const CSV = 'kind,name,roles,phone\nperson,Bea Lind,technical-lead,+44 20 7946 0001\nvendor,Acme DNS,,+1 800 555 0100\nrunbook,DB failover,,\n';

describe('DirectoryScreen', () => {
  it('imports a CSV file and lists people, vendors and runbooks with dialable numbers', async () => {
    const user = userEvent.setup();
    const { core } = testCore();
    renderConsole(<DirectoryScreen />, core);
    expect(await screen.findByText(/The directory is empty/)).toBeInTheDocument();
    await user.upload(screen.getByLabelText('Import JSON or CSV'), new File([CSV], 'team.csv', { type: 'text/csv' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Imported 3 entries from team.csv.');
    const people = screen.getByRole('region', { name: 'People' });
    expect(within(people).getByRole('listitem', { name: 'Bea Lind' })).toHaveTextContent('can hold technical-lead');
    expect(within(people).getByRole('link', { name: '+44 20 7946 0001' })).toHaveAttribute('href', 'tel:+442079460001');
    expect(within(screen.getByRole('region', { name: 'Vendor contacts' })).getByText('Acme DNS')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Runbooks' })).getByText('DB failover')).toBeInTheDocument();
  });

  it('refuses a file with a bad row, naming the line, and keeps what was there', async () => {
    const user = userEvent.setup();
    const { core } = testCore();
    core.call('directory.save', { kind: 'person', name: 'Ana Ops' });
    renderConsole(<DirectoryScreen />, core);
    await screen.findByText('Ana Ops');
    await user.upload(screen.getByLabelText('Import JSON or CSV'), new File(['kind,name\nperson,Cy\nperson,\n'], 'bad.csv', { type: 'text/csv' }));
    expect(await screen.findByText(/bad.csv was not imported, nothing was stored: line 3: name: required/)).toBeInTheDocument();
    expect(core.call('directory.list', {}).map((e) => e.name)).toEqual(['Ana Ops']);
  });

  it('adds and removes an entry by hand', async () => {
    const user = userEvent.setup();
    const { core } = testCore();
    renderConsole(<DirectoryScreen />, core);
    const form = await screen.findByRole('form', { name: 'Add to the directory' });
    await user.selectOptions(within(form).getByLabelText('Kind'), 'Runbook');
    await user.type(within(form).getByLabelText('Name'), 'Cache flush');
    await user.type(within(form).getByLabelText('Link'), 'https://wiki.example.org/cache');
    await user.click(within(form).getByRole('button', { name: 'Add entry' }));
    const link = await screen.findByRole('link', { name: 'https://wiki.example.org/cache' });
    expect(link).toHaveAttribute('target', '_blank');
    await user.click(screen.getByRole('button', { name: 'Remove Cache flush' }));
    await waitFor(() => expect(core.call('directory.list', {})).toEqual([]));
  });
});

describe('Roster with the team directory', () => {
  it('offers directory people for a role, those who can hold it first, and assigns the one chosen', async () => {
    const user = userEvent.setup();
    const tc = testCore({ name: 'Ana' });
    tc.core.call('directory.import', { fileName: 'team.csv', text: 'kind,name,roles,phone\nperson,Zed Ops,,555-0001\nperson,Bea Lind,technical-lead,555-0002\n' });
    const { incidentId } = tc.core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' });
    const { stores } = renderConsole(<Roster />, tc.core, 'write', { now: tc.clock.now });
    await act(() => openIncident(stores, incidentId));
    const select = screen.getByRole('combobox', { name: 'Holder of Technical Lead' });
    await waitFor(() => expect(within(select).getByRole('group', { name: 'From the team directory' })).toBeInTheDocument());
    const offered = within(within(select).getByRole('group', { name: 'From the team directory' })).getAllByRole('option').map((o) => o.textContent);
    expect(offered).toEqual(['Bea Lind (can hold Technical Lead) · 555-0002', 'Zed Ops · 555-0001']);
    await user.selectOptions(select, 'Bea Lind (can hold Technical Lead) · 555-0002');
    await waitFor(() => expect(tc.core.call('roster.get', { incidentId }).roles.find((r) => r.roleId === 'technical-lead')?.holder).toMatchObject({ name: 'Bea Lind', contact: '555-0002' }));
  });
});
