/**
 * Presence in the roster and the header (DESIGN.md §5 "Clocks", issue 5 point 5): who is online now
 * (ephemeral: gone a while after they leave), and a mark on a device more than a minute off the
 * relay host's clock.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { closeCore, converged, openCore, relayAddress, startTestRelay } from '../integration/sync/sync-harness';
import { showIncident, syncLine } from '../support/sync-console';

const LIMIT = { timeout: 20_000 };
const MINUTE = 60_000;

const person = (name: string) => {
  const people = within(screen.getByRole('region', { name: 'Roster' })).getByRole('list', { name: 'People' });
  return within(people).getByText(name).closest('li')!;
};

describe('presence', () => {
  it('marks the people whose devices are online, lists them in the header, and drops them once they leave', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'DNS outage', severity: 'P1' });
    ana.call('roster.addPerson', { incidentId, name: 'Ana Lima', deviceIds: [ana.deviceId] });
    ana.call('roster.addPerson', { incidentId, name: 'Legal on the phone' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const bea = openCore(undefined, 'Bea Lopez');
    bea.call('incidents.join', { link: writeLink!, name: 'Bea Lopez' });
    await converged(incidentId, ana, bea);

    await showIncident(ana, incidentId);
    await waitFor(() => expect(within(person('Bea Lopez')).getByText('online')).toBeInTheDocument(), LIMIT);
    expect(syncLine()).toHaveTextContent('Also online: Bea Lopez');
    // This device, while live, is online too; a person without a device never is.
    await waitFor(() => expect(within(person('Ana Lima')).getByText('online')).toBeInTheDocument(), LIMIT);
    expect(within(person('Legal on the phone')).queryByText('online')).not.toBeInTheDocument();
    expect(syncLine()).not.toHaveTextContent('Also online: Ana');

    closeCore(bea);
    await waitFor(() => expect(within(person('Bea Lopez')).queryByText('online')).not.toBeInTheDocument(), LIMIT);
    expect(syncLine()).not.toHaveTextContent('Also online');
  });

  it("marks a device whose clock is more than a minute off the relay host's, by how much", async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Clock skew', severity: 'P2' });
    ana.call('roster.addPerson', { incidentId, name: 'Ana Lima', deviceIds: [ana.deviceId] });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const slow = openCore(undefined, 'Sam Slow', { now: () => Date.now() - 3.5 * MINUTE });
    slow.call('incidents.join', { link: writeLink!, name: 'Sam Slow' });
    await converged(incidentId, ana, slow);

    await showIncident(ana, incidentId);
    await waitFor(() => expect(person('Sam Slow')).toHaveTextContent('clock off by 3 min'), LIMIT);
    expect(within(person('Sam Slow')).getByText('clock off by 3 min')).toHaveAttribute('title', "its clock is behind the relay host's");
    expect(person('Ana Lima')).not.toHaveTextContent('clock off');
  });
});
