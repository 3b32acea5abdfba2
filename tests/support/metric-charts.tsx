/** The metric charts panel on a real core, and its Sources dialog, for component tests. */
import { act, screen } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import type { Core } from '../../electron/core/core';
import { MetricCharts } from '../../renderer/components/MetricCharts';
import { openIncident, renderConsole } from './render-console';

/** Renders the charts panel with the incident open, once its heading is shown. */
export async function showCharts(core: Core, incidentId: string) {
  const rendered = renderConsole(<MetricCharts />, core);
  await act(() => openIncident(rendered.stores, incidentId));
  await screen.findByRole('heading', { name: 'Metrics' });
  return rendered;
}

/** Opens the Sources dialog from the panel's button. */
export async function openSources(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: /^Sources/ }));
  return screen.findByRole('dialog', { name: 'Metric sources' });
}
