/**
 * Removing a metric source from the Sources dialog (after a confirmation), and moving one to another
 * poller device of the roster: the core is real, the dialog shows what it says.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { T0, testCore } from '../support/cores';
import { openSources, showCharts } from '../support/metric-charts';

const MINUTE = 60_000;
const BEN_DEVICE = 'b'.repeat(32);

describe('Sources dialog: remove and move', () => {
  it('removes a source only after the confirmation; its samples stay on the chart and the timeline says so', async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P2' });
    const source = core.call('sources.save', { incidentId, config: { name: 'Error export', kind: 'csv', metric: 'error-rate' } });
    core.call('samples.importCsv', { incidentId, sourceId: source.id, text: `${T0 - 2 * MINUTE},error-rate,0.4\n${T0 - MINUTE},error-rate,0.6` });
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    const dialog = await openSources(user);
    const item = within(dialog).getByRole('listitem', { name: 'Error export' });

    await user.click(within(item).getByRole('button', { name: 'Remove' }));
    const confirm = within(item).getByRole('group', { name: 'Remove Error export?' });
    expect(confirm).toHaveTextContent('its samples stay in the history and the charts');
    await user.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect(within(item).queryByRole('group')).not.toBeInTheDocument();
    expect(core.call('sources.list', { incidentId })).toHaveLength(1);

    await user.click(within(item).getByRole('button', { name: 'Remove' }));
    await user.click(within(item).getByRole('button', { name: 'Remove source' }));
    await waitFor(() => expect(within(dialog).queryByRole('listitem', { name: 'Error export' })).not.toBeInTheDocument());
    expect(within(dialog).getByText(/No sources yet/)).toBeInTheDocument();
    expect(core.call('sources.list', { incidentId })).toEqual([]);
    expect(core.call('samples.list', { incidentId }).map((s) => s.value)).toEqual([0.4, 0.6]);
    await user.click(within(dialog).getByRole('button', { name: /close/i }));
    const chart = screen.getByRole('figure', { name: /Error rates/ });
    expect(chart).not.toHaveTextContent('no samples yet');
    expect(core.call('timeline.list', { incidentId }).entries.map((e) => e.text)).toContain('Ana removed metric source "Error export" (its samples stay)');
  });

  it('moves a source to a roster member\'s device: it is no longer polled here', async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Latency', severity: 'P3' });
    core.call('roster.addPerson', { incidentId, name: 'Ben', deviceIds: [BEN_DEVICE] });
    core.call('sources.save', {
      incidentId,
      config: { name: 'Edge health', kind: 'http-health', address: 'http://127.0.0.1:9/health', metric: 'response-time' },
    });
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    const dialog = await openSources(user);
    const item = within(dialog).getByRole('listitem', { name: 'Edge health' });
    expect(item).toHaveTextContent('polled by this device');
    expect(within(item).getByRole('checkbox', { name: 'Poll from this device' })).toBeInTheDocument();

    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    const form = within(item).getByRole('form', { name: 'Edit source Edge health' });
    const pollerChoice = within(form).getByLabelText('Polled by');
    await waitFor(() => expect(within(pollerChoice).getAllByRole('option').map((o) => o.textContent)).toEqual(['this device', 'Ben (device bbbbbbbb)']));
    await user.selectOptions(pollerChoice, BEN_DEVICE);
    await user.click(within(form).getByRole('button', { name: 'Save source' }));

    await waitFor(() => expect(within(dialog).getByRole('listitem', { name: 'Edge health' })).toHaveTextContent('polled by Ben (device bbbbbbbb)'));
    expect(within(dialog).queryByRole('checkbox', { name: 'Poll from this device' })).not.toBeInTheDocument();
    expect(core.call('sources.list', { incidentId })[0]).toMatchObject({ pollerIsHere: false, config: { pollerDevice: BEN_DEVICE } });
  });
});
