import fs from 'node:fs';
import path from 'node:path';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DrillPanel } from '../../renderer/components/DrillPanel';
import { StartDrill } from '../../renderer/components/StartDrill';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const SCENARIO = fs.readFileSync(path.join(__dirname, '../fixtures/drill-db-outage.json'), 'utf8');
const MINUTE = 60_000;

describe('StartDrill', () => {
  it('starts a drill from a scenario file and opens it', async () => {
    const user = userEvent.setup();
    const { core } = testCore({ name: 'Ana' });
    window.location.hash = '#/';
    renderConsole(<StartDrill />, core);
    await user.upload(screen.getByLabelText('Start drill from scenario'), new File([SCENARIO], 'drill-db-outage.json', { type: 'application/json' }));
    await waitFor(() => expect(core.call('incidents.list', {})).toHaveLength(1));
    const [drill] = core.call('incidents.list', {});
    expect(drill).toMatchObject({ title: 'DRILL: checkout database unreachable', drill: true });
    await waitFor(() => expect(window.location.hash).toBe(`#/incident/${drill.id}`));
  });

  it('refuses a bad scenario with the path of the error', async () => {
    const user = userEvent.setup();
    const { core } = testCore({ name: 'Ana' });
    renderConsole(<StartDrill />, core);
    const bad = JSON.stringify({ name: 'x', title: 'x', severity: 'P1', entries: [{ atSeconds: -1, text: 'x' }] });
    await user.upload(screen.getByLabelText('Start drill from scenario'), new File([bad], 'bad.json', { type: 'application/json' }));
    expect(await screen.findByText(/bad.json is not a valid drill scenario: entries\[0\].atSeconds: must be 0 or more/)).toBeInTheDocument();
    expect(core.call('incidents.list', {})).toEqual([]);
  });
});

describe('DrillPanel', () => {
  it('shows the replay progress, and ending the drill shows which validation items were met', async () => {
    const user = userEvent.setup();
    const tc = testCore({ name: 'Ana' });
    const { incidentId } = tc.core.call('drills.start', { fileName: 'drill-db-outage.json', text: SCENARIO });
    tc.clock.set(T0 + 3 * MINUTE);
    tc.core.call('steps.done', { incidentId, stepId: 'notification:P1' });
    const { stores } = renderConsole(<DrillPanel />, tc.core, 'write', { now: tc.clock.now });
    await act(() => openIncident(stores, incidentId));
    const panel = await screen.findByRole('region', { name: /Q4 drill: database outage/ });
    await waitFor(() => expect(panel).toHaveTextContent(/Scenario replayed: [1-9] of 7 events/));

    tc.clock.set(T0 + 12 * MINUTE);
    await user.click(within(panel).getByRole('button', { name: 'End drill' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('Drill ended 2026-11-29 14:12Z: 1 of 6 validation items met.');
    const items = within(panel).getByRole('list', { name: 'Validation items' });
    expect(items).toHaveTextContent('Primary team notified within 10 minutes: met');
    expect(items).toHaveTextContent('Communication sent within 30 minutes: not met (still running)');
    expect(within(panel).queryByRole('button', { name: 'End drill' })).not.toBeInTheDocument();
  });

  it('is not shown for an incident that is not a drill', async () => {
    const tc = testCore({ name: 'Ana' });
    const { incidentId } = tc.core.call('incidents.declare', { title: 'Real', severity: 'P1' });
    const { stores } = renderConsole(<DrillPanel />, tc.core);
    await act(() => openIncident(stores, incidentId));
    expect(screen.queryByText('DRILL')).not.toBeInTheDocument();
  });
});
