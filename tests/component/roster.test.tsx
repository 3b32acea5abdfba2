import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Roster } from '../../renderer/components/Roster';
import { caught } from '../support/api-expect';
import { opsOf, shareIncident, testCore, type TestCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

/** An incident declared by Ana's device with these people on its roster (none of them with a device). */
function incidentWith(people: string[], options: { name?: string } = {}) {
  const tc = testCore({ name: options.name ?? 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  const ids: Record<string, string> = {};
  for (const name of people) {
    const roster = tc.core.call('roster.addPerson', { incidentId, name, contact: `${name.split(' ')[0].toLowerCase()}@example.com` });
    ids[name] = roster.people.find((p) => p.name === name)?.id ?? '';
  }
  return { ...tc, incidentId, ids };
}

async function showRoster({ core }: TestCore, incidentId: string, access: 'write' | 'read' = 'write') {
  const rendered = renderConsole(<Roster />, core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  return rendered;
}

const role = (title: string) => screen.getByRole('listitem', { name: title });
/** The holder's name as shown, not the same name among the select's options. */
const shown = { ignore: 'option, script, style' };

describe('Roster', () => {
  it('lists every role of the pinned playbook, primary team first, with unassigned ones marked', async () => {
    const tc = incidentWith([]);
    await showRoster(tc, tc.incidentId);

    const primary = within(screen.getByRole('list', { name: 'Primary team' })).getAllByRole('listitem');
    const secondary = within(screen.getByRole('list', { name: 'Secondary team' })).getAllByRole('listitem');
    const expectRoles = (rows: HTMLElement[], titles: string[]) => {
      expect(rows).toHaveLength(titles.length);
      rows.forEach((row, i) => expect(row).toHaveAccessibleName(titles[i]));
    };
    expectRoles(primary, ['Lead', 'Technical Lead', 'Security Lead', 'DevOps', 'Communications']);
    expectRoles(secondary, ['Database', 'Frontend', 'QA', 'Legal']);
    for (const row of [...primary, ...secondary]) expect(within(row).getByText('Unassigned', shown)).toBeInTheDocument();
    expect(within(role('Legal')).getByText('Legal Counsel')).toBeInTheDocument();
  });

  it('assigns a role in two clicks and shows the holder, who set it and when', async () => {
    const tc = incidentWith(['Ben Ode', 'Cy Park']);
    tc.clock.set(Date.UTC(2026, 10, 29, 14, 3, 0));
    const user = userEvent.setup();
    await showRoster(tc, tc.incidentId);

    await user.selectOptions(within(role('Technical Lead')).getByRole('combobox', { name: 'Holder of Technical Lead' }), 'Ben Ode');

    await waitFor(() => expect(within(role('Technical Lead')).getByText('Ben Ode', shown)).toBeInTheDocument());
    expect(within(role('Technical Lead')).queryByText('Unassigned', shown)).not.toBeInTheDocument();
    expect(role('Technical Lead')).toHaveTextContent('set by Ana · 14:03:00Z');
    expect(within(role('Technical Lead')).getByRole('combobox')).toHaveDisplayValue('Ben Ode');
    // The other roles are still visibly open.
    expect(within(role('Security Lead')).getByText('Unassigned', shown)).toBeInTheDocument();
  });

  it('unassigns a role', async () => {
    const tc = incidentWith(['Ben Ode']);
    tc.core.call('roster.assign', { incidentId: tc.incidentId, roleId: 'devops', personId: tc.ids['Ben Ode'] });
    const user = userEvent.setup();
    await showRoster(tc, tc.incidentId);
    expect(within(role('DevOps')).getByText('Ben Ode', shown)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Unassign DevOps' }));

    await waitFor(() => expect(within(role('DevOps')).getByText('Unassigned', shown)).toBeInTheDocument());
    expect(within(role('DevOps')).queryByText('Ben Ode', shown)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Unassign DevOps' })).not.toBeInTheDocument();
  });

  it('hands over command in two clicks, with an optional note, and shows the new commander', async () => {
    const tc = incidentWith(['Ana Lima', 'Ben Ode']);
    tc.core.call('roster.assign', { incidentId: tc.incidentId, roleId: 'incident-commander', personId: tc.ids['Ana Lima'] });
    const user = userEvent.setup();
    await showRoster(tc, tc.incidentId);
    expect(within(role('Lead')).getByText('Ana Lima', shown)).toBeInTheDocument();

    await user.click(within(role('Lead')).getByRole('button', { name: 'Hand over command' }));
    const handover = screen.getByRole('group', { name: 'Hand over command' });
    // The current commander is not offered.
    expect(within(handover).queryByRole('button', { name: 'Hand over command to Ana Lima' })).not.toBeInTheDocument();
    await user.type(within(handover).getByLabelText('Handover note (optional)'), 'going off shift');
    await user.click(within(handover).getByRole('button', { name: 'Hand over command to Ben Ode' }));

    await waitFor(() => expect(within(role('Lead')).getByText('Ben Ode', shown)).toBeInTheDocument());
    expect(within(role('Lead')).queryByText('Ana Lima', shown)).not.toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Hand over command' })).not.toBeInTheDocument();
    const commander = tc.core.call('roster.get', { incidentId: tc.incidentId }).roles.find((r) => r.commander);
    expect(commander?.holder?.name).toBe('Ben Ode');
  });

  it('adds a person without a device from the role and assigns them', async () => {
    const tc = incidentWith([]);
    const user = userEvent.setup();
    await showRoster(tc, tc.incidentId);

    await user.selectOptions(within(role('Legal')).getByRole('combobox', { name: 'Holder of Legal' }), 'Add person…');
    const form = screen.getByRole('form', { name: 'Add a person as Legal' });
    await user.type(within(form).getByLabelText('Name'), 'Lee Counsel');
    await user.type(within(form).getByLabelText('Contact'), '+44 20 7946 0000');
    await user.click(within(form).getByRole('button', { name: 'Add and assign' }));

    await waitFor(() => expect(within(role('Legal')).getByText('Lee Counsel', shown)).toBeInTheDocument());
    expect(within(role('Legal')).getByText(/\+44 20 7946 0000/)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add a person as Legal' })).not.toBeInTheDocument();
    const people = within(screen.getByRole('list', { name: 'People' })).getByRole('listitem');
    expect(people).toHaveTextContent('Lee Counsel · +44 20 7946 0000 · no device');
    const [lee] = tc.core.call('roster.get', { incidentId: tc.incidentId }).people;
    expect(lee.deviceIds).toEqual([]);
  });

  it('a refused person stays in the form, with the reason inside it', async () => {
    const tc = incidentWith([]);
    const user = userEvent.setup();
    const { stores } = await showRoster(tc, tc.incidentId);
    const name = 'Lee Counsel of the Outside Firm '.repeat(7);
    const refusal = caught(() => tc.core.call('roster.addPerson', { incidentId: tc.incidentId, name, contact: 'lee@example.com' })).message;

    await user.click(screen.getByRole('button', { name: 'Add person…' }));
    const form = screen.getByRole('form', { name: 'Add a person to the roster' });
    await user.click(within(form).getByLabelText('Name'));
    await user.paste(name);
    await user.type(within(form).getByLabelText('Contact'), 'lee@example.com');
    await user.click(within(form).getByRole('button', { name: 'Add person' }));

    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal);
    expect(within(form).getByLabelText('Name')).toHaveValue(name);
    expect(within(form).getByLabelText('Contact')).toHaveValue('lee@example.com');
    expect(tc.core.call('roster.get', { incidentId: tc.incidentId }).people).toEqual([]);
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('marks a role changed concurrently on two devices', async () => {
    const ana = incidentWith(['Ben Ode', 'Cy Park']);
    const bea = testCore({ name: 'Bea' });
    shareIncident(ana.core, bea.core, ana.incidentId);
    // Neither device has seen the other's assignment.
    ana.core.call('roster.assign', { incidentId: ana.incidentId, roleId: 'database', personId: ana.ids['Ben Ode'] });
    bea.core.call('roster.assign', { incidentId: ana.incidentId, roleId: 'database', personId: ana.ids['Cy Park'] });
    ana.core.ingest(opsOf(bea.core, ana.incidentId));
    await showRoster(ana, ana.incidentId);

    expect(within(role('Database')).getByText('changed concurrently')).toBeInTheDocument();
    expect(within(role('Technical Lead')).queryByText('changed concurrently')).not.toBeInTheDocument();
  });

  it('shows holders without any control in a read-only view', async () => {
    const tc = incidentWith(['Ana Lima']);
    tc.core.call('roster.assign', { incidentId: tc.incidentId, roleId: 'incident-commander', personId: tc.ids['Ana Lima'] });
    await showRoster(tc, tc.incidentId, 'read');

    expect(within(role('Lead')).getByText('Ana Lima')).toBeInTheDocument();
    expect(within(role('QA')).getByText('Unassigned')).toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
  });
});
