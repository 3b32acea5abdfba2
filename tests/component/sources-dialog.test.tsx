/**
 * The Sources dialog of the metric charts: add and edit a source, turn polling on on this device,
 * hold credentials locally, import a CSV; and a source's status beside its chart, an outage as an alert.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Core } from '../../electron/core/core';
import { T0, testCore } from '../support/cores';
import { opPayloads } from '../support/metric-servers';
import { openSources, showCharts } from '../support/metric-charts';

function declare(core: Core): string {
  return core.call('incidents.declare', { title: 'Checkout failing', severity: 'P2' }).incidentId;
}

describe('Sources dialog', () => {
  it('adds a Prometheus query source, refusing an interval under a second with the reason in the form', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declare(core);
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    const dialog = await openSources(user);
    const form = within(dialog).getByRole('form', { name: 'Add a source' });

    await user.type(within(form).getByLabelText('Name'), 'API error ratio');
    await user.selectOptions(within(form).getByLabelText('Kind'), 'prometheus-query');
    await user.type(within(form).getByLabelText('Address'), 'http://127.0.0.1:9');
    await user.type(within(form).getByLabelText('Value'), 'sum(rate(errors_total[1m])) / sum(rate(requests_total[1m]))');
    await user.selectOptions(within(form).getByLabelText('Feeds metric'), 'error-rate');
    await user.clear(within(form).getByLabelText('Scale (× reading)'));
    await user.type(within(form).getByLabelText('Scale (× reading)'), '100');
    await user.clear(within(form).getByLabelText(/^Interval \(s\)/));
    await user.type(within(form).getByLabelText(/^Interval \(s\)/), '0.5');
    await user.click(within(form).getByRole('button', { name: 'Add source' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('config.intervalMs: must be at least 1 s');
    expect(core.call('sources.list', { incidentId })).toEqual([]);

    await user.clear(within(form).getByLabelText(/^Interval \(s\)/));
    await user.type(within(form).getByLabelText(/^Interval \(s\)/), '5');
    await user.click(within(form).getByRole('button', { name: 'Add source' }));

    const item = await within(dialog).findByRole('listitem', { name: 'API error ratio' });
    expect(item).toHaveTextContent('polled by this device');
    expect(item).toHaveTextContent('not polled yet');
    expect(core.call('sources.list', { incidentId })[0].config).toMatchObject({ kind: 'prometheus-query', scale: 100, intervalMs: 5_000, metric: 'error-rate' });
  });

  it('turns polling on and off on this device, and keeps a token out of the incident', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declare(core);
    const { id } = core.call('sources.save', { incidentId, config: { name: 'Health', kind: 'http-health', address: 'http://127.0.0.1:9/health', metric: 'response-time', intervalMs: 60_000 } });
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    const dialog = await openSources(user);
    const item = within(dialog).getByRole('listitem', { name: 'Health' });

    await user.click(within(item).getByRole('checkbox', { name: 'Poll from this device' }));
    await waitFor(() => expect(within(item).getByRole('checkbox', { name: 'Poll from this device' })).toBeChecked());
    expect(core.call('sources.list', { incidentId })[0].pollingHere).toBe(true);
    await user.click(within(item).getByRole('checkbox', { name: 'Poll from this device' }));
    await waitFor(() => expect(core.call('sources.list', { incidentId })[0].pollingHere).toBe(false));

    const credentials = within(item).getByRole('form', { name: 'Credentials for Health' });
    await user.selectOptions(within(credentials).getByLabelText('Credentials (this device only)'), 'bearer');
    await user.type(within(credentials).getByLabelText('Token'), 'tok-secret-123');
    await user.click(within(credentials).getByRole('button', { name: 'Save credentials' }));
    await waitFor(() => expect(within(credentials).getByText('held: bearer')).toBeInTheDocument());
    expect(within(credentials).getByLabelText('Token')).toHaveValue('');
    expect(core.call('sources.list', { incidentId }).find((s) => s.id === id)?.credentials).toBe('bearer');
    expect(JSON.stringify(opPayloads(core, incidentId))).not.toContain('tok-secret-123');
  });

  it('imports a CSV, or refuses it naming the bad line and stores nothing', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declare(core);
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    const dialog = await openSources(user);
    const form = within(dialog).getByRole('form', { name: 'Import samples from CSV' });
    const rows = within(form).getByLabelText('Rows (time,metric,value)');

    await user.click(rows);
    await user.paste(`time,metric,value\n${T0},error-rate,0.5\n${T0 + 1_000},error-rate,lots\n`);
    await user.click(within(form).getByRole('button', { name: 'Import CSV' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('text line 3: value "lots" is not a number');
    expect(core.call('samples.list', { incidentId })).toEqual([]);

    await user.clear(rows);
    await user.paste(`${T0},error-rate,0.5\n${T0 + 1_000},error-rate,0.7\n`);
    await user.click(within(form).getByRole('button', { name: 'Import CSV' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Imported 2 samples');
    expect(core.call('samples.list', { incidentId })).toHaveLength(2);
  });
});

describe('source status beside the charts', () => {
  it('shows a source down with its reason beside its chart, raises an outage alert, and switches the time range', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declare(core);
    const { id } = core.call('sources.save', {
      incidentId,
      config: { name: 'API health', kind: 'http-health', address: 'http://127.0.0.1:9/health', metric: 'response-time', downSeverity: 'P1' },
    });
    // What the poller device's batch says: two polls, both failed.
    core.context.db.transaction(() =>
      core.context.writeOp(incidentId, {
        kind: 'samples.add',
        source: id,
        samples: [],
        polls: [
          { t: T0, up: false, reason: 'connection refused' },
          { t: T0 + 10_000, up: false, reason: 'connection refused' },
        ],
      }),
    )();
    const user = userEvent.setup();
    await showCharts(core, incidentId);

    const chart = screen.getByRole('figure', { name: /Response times/ });
    expect(within(chart).getByRole('list', { name: 'Response times sources' })).toHaveTextContent('API health: down since 14:00:00Z — connection refused');
    expect(await screen.findByRole('alert')).toHaveTextContent('source "API health" (response time) is down: connection refused — suggest P1');

    const range = screen.getByRole('group', { name: 'Time range' });
    expect(within(range).getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(within(range).getByRole('button', { name: '15 min' }));
    await waitFor(() => expect(within(range).getByRole('button', { name: '15 min' })).toHaveAttribute('aria-pressed', 'true'));
  });
});
