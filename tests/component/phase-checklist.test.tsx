import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PhaseChecklist } from '../../renderer/components/PhaseChecklist';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

async function showChecklist(access: 'write' | 'read' = 'write', prepare?: (tc: ReturnType<typeof testCore>, incidentId: string) => void) {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  tc.core.call('roster.addPerson', { incidentId, name: 'Ben Ode' });
  prepare?.(tc, incidentId);
  const rendered = renderConsole(<PhaseChecklist />, tc.core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId };
}

const phase = (title: string) => screen.getByRole('region', { name: title });
const disclosure = (title: RegExp) => screen.getByRole('button', { name: title });

describe('PhaseChecklist', () => {
  it('shows the current phase expanded, grouped by section, and the others collapsed with counts', async () => {
    await showChecklist();

    expect(disclosure(/^Detection & Assessment/)).toHaveAttribute('aria-expanded', 'true');
    expect(disclosure(/^Detection & Assessment/)).toHaveAccessibleName('Detection & Assessment current 0/11 done');
    const detection = phase('Detection & Assessment');
    expect(within(detection).getByRole('heading', { name: '1.2 Initial Assessment' })).toBeInTheDocument();
    expect(within(detection).getByRole('checkbox', { name: 'Check error logs' })).not.toBeChecked();

    expect(disclosure(/^Containment/)).toHaveAttribute('aria-expanded', 'false');
    expect(disclosure(/^Containment/)).toHaveAccessibleName(/^Containment \d+\/\d+ done$/);
    expect(screen.queryByRole('region', { name: 'Containment' })).not.toBeInTheDocument();
  });

  it('opens another phase in one click', async () => {
    const user = userEvent.setup();
    await showChecklist();

    await user.click(disclosure(/^Containment/));

    expect(disclosure(/^Containment/)).toHaveAttribute('aria-expanded', 'true');
    expect(within(phase('Containment')).getByRole('checkbox', { name: 'Scale resources' })).toBeInTheDocument();
    // The current phase stays open beside it.
    expect(phase('Detection & Assessment')).toBeInTheDocument();
  });

  it('ticks an item and shows who ticked it and when (UTC), then unticks it', async () => {
    const user = userEvent.setup();
    const { clock } = await showChecklist();
    clock.set(T0 + 5 * MINUTE);

    const item = within(phase('Detection & Assessment')).getByRole('checkbox', { name: 'Automated Monitoring' });
    await user.click(item);

    await waitFor(() => expect(item).toBeChecked());
    expect(phase('Detection & Assessment')).toHaveTextContent('Ana · 14:05:00Z');
    expect(disclosure(/^Detection & Assessment/)).toHaveAccessibleName(/1\/11 done$/);

    await user.click(item);

    await waitFor(() => expect(item).not.toBeChecked());
    expect(phase('Detection & Assessment')).not.toHaveTextContent('Ana · 14:05:00Z');
    expect(disclosure(/^Detection & Assessment/)).toHaveAccessibleName(/0\/11 done$/);
  });

  it('assigns an item and saves its note on Enter', async () => {
    const user = userEvent.setup();
    const { core, incidentId } = await showChecklist();
    const detection = phase('Detection & Assessment');

    await user.selectOptions(within(detection).getByRole('combobox', { name: 'Assignee of Check error logs' }), 'Ben Ode');
    await waitFor(() => expect(within(detection).getByRole('combobox', { name: 'Assignee of Check error logs' })).toHaveDisplayValue('Ben Ode'));

    await user.type(within(detection).getByRole('textbox', { name: 'Note on Check error logs' }), '5xx spike on api-gw{Enter}');

    await waitFor(() => {
      const item = core.call('checklist.get', { incidentId })[0].items.find((i) => i.title === 'Check error logs');
      expect(item?.note).toBe('5xx spike on api-gw');
    });
    expect(within(detection).getByRole('textbox', { name: 'Note on Check error logs' })).toHaveValue('5xx spike on api-gw');
  });

  it('shows states, who ticked and notes without any control in a read-only view', async () => {
    await showChecklist('read', ({ core, clock }, incidentId) => {
      clock.set(T0 + 5 * MINUTE);
      core.call('checklist.tick', { incidentId, itemId: 'detection/automated-monitoring' });
      core.call('checklist.note', { incidentId, itemId: 'detection/automated-monitoring', note: 'PagerDuty fired' });
    });

    const detection = phase('Detection & Assessment');
    expect(within(detection).getByText('✓ done')).toBeInTheDocument();
    expect(detection).toHaveTextContent('Ana · 14:05:00Z');
    expect(within(detection).getByText('PagerDuty fired')).toBeInTheDocument();
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    // What remains are the phase disclosures, which change nothing.
    for (const button of screen.getAllByRole('button')) expect(button).toHaveAttribute('aria-expanded');
  });
});
