/**
 * Joining by pasting a link (DESIGN.md §5): from the incident list's "Join incident" form on a
 * second core, which lands on the incident once it arrives from the relay; a bad link is refused
 * beside the form with the text kept.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRoute } from '../../renderer/app/route';
import { IncidentList } from '../../renderer/components/IncidentList';
import { IncidentScreen } from '../../renderer/components/IncidentScreen';
import { caught } from '../support/api-expect';
import { converged, entryTexts, openCore, relayAddress, startTestRelay, stopRelay } from '../integration/sync/sync-harness';
import { renderConsole } from '../support/render-console';

/** The list and the incident screen, by route, as the console shows them. */
function Screens() {
  const route = useRoute();
  if (route.screen === 'incident') return <IncidentScreen incidentId={route.incidentId} />;
  return route.screen === 'incidents' ? <IncidentList /> : null;
}

async function sharedByAna() {
  const relay = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'Checkout errors', severity: 'P1' });
  ana.call('timeline.add', { incidentId, text: 'Error rate 7 %' });
  const links = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  return { relay, ana, incidentId, links };
}

const joinForm = () => screen.getByRole('form', { name: 'Join incident' });

beforeEach(() => {
  window.location.hash = '';
});

describe('joining an incident by link', () => {
  it('pasting a write link on a second console lands on the incident, which then writes to the others', async () => {
    const { ana, incidentId, links } = await sharedByAna();
    const bea = openCore();
    const user = userEvent.setup();
    const { stores } = renderConsole(<Screens />, bea);
    await act(() => stores.incidents.getState().refresh());

    await user.click(await screen.findByRole('button', { name: 'Join incident' }));
    await waitFor(() => expect(window.location.hash).toBe('#/join'));
    expect(within(joinForm()).getByRole('textbox', { name: /^Link/ })).toHaveFocus();
    await user.paste(links.writeLink!);
    await user.type(within(joinForm()).getByRole('textbox', { name: /^Your name/ }), 'Bea Lopez');
    await user.click(within(joinForm()).getByRole('button', { name: 'Join' }));

    await waitFor(() => expect(window.location.hash).toBe(`#/incident/${incidentId}`));
    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout errors' }, { timeout: 20_000 })).toBeInTheDocument();
    expect(await screen.findByText('Error rate 7 %')).toBeInTheDocument();
    expect(screen.queryByText('read only')).not.toBeInTheDocument();

    // Bea is on the roster with her device, and what she types reaches Ana.
    const people = within(screen.getByRole('region', { name: 'Roster' })).getByRole('list', { name: 'People' });
    expect(await within(people).findByText('Bea Lopez')).toBeInTheDocument();
    const entry = screen.getByLabelText('Timeline entry');
    await user.type(entry, 'Rolled back deploy 42{Enter}');
    await converged(incidentId, ana, bea);
    expect(entryTexts(ana, incidentId)).toContain('Rolled back deploy 42');
  });

  it('with a read link: lands on the incident read only', async () => {
    const { incidentId, links } = await sharedByAna();
    const legal = openCore(undefined, 'Legal');
    const user = userEvent.setup();
    window.location.hash = '#/join';
    renderConsole(<Screens />, legal);

    // The name this device already has is filled in.
    await waitFor(() => expect(within(joinForm()).getByRole('textbox', { name: /^Your name/ })).toHaveValue('Legal'));
    await user.click(within(joinForm()).getByRole('textbox', { name: /^Link/ }));
    await user.paste(links.readLink);
    await user.click(within(joinForm()).getByRole('button', { name: 'Join' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout errors' }, { timeout: 20_000 })).toBeInTheDocument();
    expect(screen.getByText('read only')).toBeInTheDocument();
    expect(screen.queryByLabelText('Timeline entry')).not.toBeInTheDocument();
    expect(legal.call('incidents.list', {}).map((i) => i.id)).toEqual([incidentId]);
  });

  it('with the relay down, says the incident is on its way, and shows it once the relay is back', async () => {
    const { relay, incidentId, links } = await sharedByAna();
    await stopRelay(relay);
    const bea = openCore(undefined, 'Bea');
    const user = userEvent.setup();
    window.location.hash = '#/join';
    renderConsole(<Screens />, bea);

    await user.click(within(joinForm()).getByRole('textbox', { name: /^Link/ }));
    await user.paste(links.writeLink!);
    await user.click(within(joinForm()).getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/incident/${incidentId}`));
    expect(await screen.findByRole('status')).toHaveTextContent(`Fetching this incident from relay ${relayAddress(relay)}`);

    await startTestRelay(relay.dataDir, relay.port);
    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout errors' }, { timeout: 20_000 })).toBeInTheDocument();
    expect(await screen.findByText('Error rate 7 %')).toBeInTheDocument();
  });

  it('a link that does not parse is refused beside the form, with the text kept', async () => {
    const { links } = await sharedByAna();
    const bea = openCore(undefined, 'Bea');
    const user = userEvent.setup();
    window.location.hash = '#/join';
    const { stores } = renderConsole(<Screens />, bea);

    const link = within(joinForm()).getByRole('textbox', { name: /^Link/ });
    await user.click(link);
    await user.paste('https://example.org/not-a-link');
    await user.click(within(joinForm()).getByRole('button', { name: 'Join' }));
    const refusal = caught(() => bea.call('incidents.join', { link: 'https://example.org/not-a-link', name: 'Bea' })).message;
    expect(await within(joinForm()).findByRole('alert')).toHaveTextContent(refusal);
    expect(refusal).toMatch(/not a Sitrep join link/);
    expect(link).toHaveValue('https://example.org/not-a-link');

    // One character of the secret mistyped: the check catches it before anything is tried.
    const secret = links.writeLink!.split('#')[1];
    const slip = secret[0] === 'A' ? 'B' : 'A';
    const mistyped = `${links.writeLink!.split('#')[0]}#${slip}${secret.slice(1)}`;
    await user.clear(link);
    await user.paste(mistyped);
    await user.click(within(joinForm()).getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(within(joinForm()).getByRole('alert')).toHaveTextContent('the secret does not check out: a character was mistyped'));
    expect(link).toHaveValue(mistyped);
    expect(window.location.hash).toBe('#/join');
    expect(bea.call('incidents.list', {})).toEqual([]);
    expect(stores.notices.getState().notices).toEqual([]);

    await user.click(within(joinForm()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Join incident' })).not.toBeInTheDocument());
  });
});
