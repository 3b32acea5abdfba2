import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MetricCharts } from '../../renderer/components/MetricCharts';
import type { Core } from '../../electron/core/core';
import { fromLocalInput } from '../../renderer/format/time';
import { caught } from '../support/api-expect';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

function declareP2(core: Core): string {
  return core.call('incidents.declare', { title: 'Checkout failing', severity: 'P2' }).incidentId;
}

async function showCharts(core: Core, incidentId: string, access: 'write' | 'read' = 'write') {
  const rendered = renderConsole(<MetricCharts />, core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  await screen.findByRole('heading', { name: 'Metrics' });
  return rendered;
}

async function addSample(user: ReturnType<typeof userEvent.setup>, metric: string, value: string) {
  const form = screen.getByRole('form', { name: 'Add a metric sample' });
  await user.selectOptions(within(form).getByLabelText('Metric'), metric);
  await user.type(within(form).getByLabelText(/^Value/), value);
  await user.click(within(form).getByRole('button', { name: 'Add sample' }));
}

const metricAlerts = (core: Core, incidentId: string) => core.call('timeline.list', { incidentId, kinds: ['metric-alert'] }).entries;

describe('MetricCharts', () => {
  it('draws error rate, then response time, each with the playbook’s threshold lines', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    await showCharts(core, incidentId);

    const figures = screen.getAllByRole('figure');
    expect(figures.map((f) => f.querySelector('.metric-chart-title')?.textContent)).toEqual(['Error rates (%)', 'Response times (s)']);
    const errorRate = screen.getByRole('figure', { name: /Error rates/ });
    for (const label of ['P1 > 5 %', 'P2 > 1 %', 'P3 > 0.1 %']) expect(within(errorRate).getByText(label)).toBeInTheDocument();
    const responseTime = screen.getByRole('figure', { name: /Response times/ });
    for (const label of ['P1 > 10 s', 'P2 > 5 s', 'P3 > 2 s']) expect(within(responseTime).getByText(label)).toBeInTheDocument();
    expect(within(errorRate).getByText('no samples yet')).toBeInTheDocument();
  });

  it('charts a metric without thresholds once it has samples, its latest value in the caption', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    core.call('samples.add', { incidentId, metric: 'cpu', value: 93 });
    await showCharts(core, incidentId);

    const cpu = screen.getByRole('figure', { name: /CPU/ });
    expect(within(cpu).getByText(/93 %/)).toBeInTheDocument();
    expect(within(cpu).getByText('at 14:00:00Z')).toBeInTheDocument();
  });

  it('adding a 7.5 % error rate to a P2 incident raises an alert suggesting P1', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await addSample(user, 'Error rates', '7.5');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('error rate 7.5 % crosses P1 (> 5 %) — suggest P1');
    expect(within(alert).getByRole('button', { name: 'Accept P1' })).toBeEnabled();
    expect(within(alert).getByRole('button', { name: 'Dismiss' })).toBeEnabled();
    expect(core.call('samples.list', { incidentId })).toMatchObject([{ metric: 'error-rate', value: 7.5, t: T0 }]);
    expect(within(screen.getByRole('figure', { name: /Error rates/ })).getByText(/7\.5 %/)).toBeInTheDocument();
  });

  it('Accept raises the severity to P1, puts the decision on the timeline, and the banner goes', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    await showCharts(core, incidentId);
    await addSample(user, 'Error rates', '7.5');

    await user.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Accept P1' }));

    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P1');
    const [decision] = metricAlerts(core, incidentId);
    expect(decision).toMatchObject({ kind: 'metric-alert', alertKey: `error-rate:P1:${T0}` });
    expect(decision.text).toContain('Accepted alert: error rate 7.5 % > 5 % (P1)');
  });

  it('Dismiss leaves the severity, records the dismissal, and the same episode does not alert again', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    const { stores } = await showCharts(core, incidentId);
    await addSample(user, 'Error rates', '7.5');

    await user.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Dismiss' }));

    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(core.call('incidents.get', { incidentId }).state.severity).toBe('P2');
    const [decision] = metricAlerts(core, incidentId);
    expect(decision).toMatchObject({ alertKey: `error-rate:P1:${T0}` });
    expect(decision.text).toBe('Dismissed alert: error rate 7.5 % > 5 % (P1)');

    // Still above 5 % a minute later: the same episode, already decided.
    clock.advance(MINUTE);
    core.call('samples.add', { incidentId, metric: 'error-rate', value: 8 });
    await waitFor(() => expect(stores.incident.getState().metrics?.series[0]?.total).toBe(2));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // Back under, then over again: a new episode, a new alert.
    clock.advance(MINUTE);
    core.call('samples.add', { incidentId, metric: 'error-rate', value: 0.05 });
    clock.advance(MINUTE);
    core.call('samples.add', { incidentId, metric: 'error-rate', value: 9 });
    expect(await screen.findByRole('alert')).toHaveTextContent('error rate 9 % crosses P1 (> 5 %) — suggest P1');
  });

  it('a reading the core refuses stays in the form, with the reason inside it', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    const { stores } = await showCharts(core, incidentId);
    const form = screen.getByRole('form', { name: 'Add a metric sample' });
    // A slip of the year: a time before 1970 is no time the core records.
    const readAt = '1969-12-31T12:00';
    const refusal = caught(() => core.call('samples.add', { incidentId, metric: 'error-rate', value: 7.5, t: fromLocalInput(readAt) ?? undefined })).message;

    await user.selectOptions(within(form).getByLabelText('Metric'), 'Error rates');
    await user.type(within(form).getByLabelText(/^Value/), '7.5');
    fireEvent.change(within(form).getByLabelText(/^Time \(optional\)/), { target: { value: readAt } });
    await user.click(within(form).getByRole('button', { name: 'Add sample' }));

    expect(await within(form).findByRole('alert')).toHaveTextContent(refusal);
    expect(within(form).getByLabelText(/^Value/)).toHaveValue(7.5);
    expect(within(form).getByLabelText(/^Time \(optional\)/)).toHaveValue(readAt);
    expect(core.call('samples.list', { incidentId })).toEqual([]);
    expect(stores.notices.getState().notices).toEqual([]);

    fireEvent.change(within(form).getByLabelText(/^Time \(optional\)/), { target: { value: '' } });
    await user.click(within(form).getByRole('button', { name: 'Add sample' }));
    await waitFor(() => expect(core.call('samples.list', { incidentId })).toHaveLength(1));
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('raises nothing when the incident is already as severe as the suggestion', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' }).incidentId;
    core.call('samples.add', { incidentId, metric: 'error-rate', value: 7.5 });
    await showCharts(core, incidentId);

    expect(within(screen.getByRole('figure', { name: /Error rates/ })).getByText(/7\.5 %/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('read only: the alert shows, with no buttons and no sample form', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    core.call('samples.add', { incidentId, metric: 'response-time', value: 12 });
    await showCharts(core, incidentId, 'read');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('response time 12 s crosses P1 (> 10 s) — suggest P1');
    // Reading stays possible (time range, the sources list); deciding is not.
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Accept|Dismiss|Add sample/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Add a metric sample' })).not.toBeInTheDocument();
  });
});
