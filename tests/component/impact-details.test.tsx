import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IncidentHeader } from '../../renderer/components/IncidentHeader';
import { useOpenIncident } from '../../renderer/state/console-stores';
import { testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

/** The header as the incident screen shows it, for the open incident. */
function Header() {
  const view = useOpenIncident((s) => s.view);
  return view ? <IncidentHeader view={view} /> : null;
}

async function showHeader(access: 'write' | 'read' = 'write') {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1' });
  const rendered = renderConsole(<Header />, tc.core, access, { now: tc.clock.now });
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId };
}

describe('ImpactDetails in the header', () => {
  it('edits the users, data, business and compliance impact, saved on leaving each field', async () => {
    const user = userEvent.setup();
    const { core, incidentId } = await showHeader();
    const details = screen.getByText(/^Impact/).closest('details') as HTMLElement;
    expect(details).toHaveTextContent('(0 of 4 recorded)');
    await user.click(screen.getByText(/^Impact/));
    await user.type(within(details).getByLabelText('Users impact'), 'about 30 % of checkouts');
    await user.type(within(details).getByLabelText('Business impact'), '≈ €12k/hour');
    await user.tab();
    await waitFor(() => expect(details).toHaveTextContent('(2 of 4 recorded)'));
    expect(core.call('incidents.get', { incidentId }).state.impact).toEqual({ users: 'about 30 % of checkouts', data: '', business: '≈ €12k/hour', compliance: '' });
  });

  it('shows a change made elsewhere, and is read-only without write access', async () => {
    const { core, incidentId } = await showHeader('read');
    await act(async () => {
      await core.invoke('incidents.setField', { incidentId, field: 'impact.compliance', value: 'GDPR: personal data of EU users' });
    });
    await waitFor(() => expect(screen.getByText('GDPR: personal data of EU users')).toBeInTheDocument());
    expect(screen.queryByLabelText('Compliance impact')).not.toBeInTheDocument();
  });
});
