/**
 * The header's sync line against real cores and a real relay (DESIGN.md §5, §7): live, offline
 * since when with the changes waiting to send while the relay is down, live again when it is
 * back; a clock that differs from the relay host's; an equivocation alarm as a banner.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { utcMinute } from '../../renderer/format/time';
import {
  openCore,
  relayAddress,
  stageEquivocation,
  startTestRelay,
  status,
  stopRelay,
  waitFor as poll,
} from '../integration/sync/sync-harness';
import { showIncident, syncLine } from '../support/sync-console';

const LIMIT = { timeout: 20_000 };
const MINUTE = 60_000;

describe('the sync line of the incident header', () => {
  it('shows the changes waiting to send while the relay is down, offline since when, and live once it is back', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Payments down', severity: 'P1' });
    ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    await showIncident(ana, incidentId);
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument(), LIMIT);
    expect(syncLine()).toHaveTextContent(`relay ${relayAddress(relay)}`);
    expect(syncLine()).not.toHaveTextContent('waiting to send');

    await stopRelay(relay);
    const offline = await poll(() => status(ana, incidentId).offlineSince, 'Ana to notice the relay is gone');
    await waitFor(() => expect(syncLine()).toHaveTextContent(`offline since ${utcMinute(offline)} (for under a minute)`), LIMIT);
    for (const text of ['Card processor down', 'Failing over', 'Status page updated']) await ana.invoke('timeline.add', { incidentId, text });
    await waitFor(() => expect(syncLine()).toHaveTextContent('3 changes waiting to send'), LIMIT);
    expect(within(syncLine()).queryByText('live')).not.toBeInTheDocument();

    await startTestRelay(relay.dataDir, relay.port);
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument(), LIMIT);
    await waitFor(() => expect(syncLine()).not.toHaveTextContent('waiting to send'), LIMIT);
    expect(syncLine()).not.toHaveTextContent('offline since');
  });

  it("says by how much this device's clock differs from the relay host's when it is more than a minute", async () => {
    const relay = await startTestRelay();
    const ahead = openCore(undefined, 'Ana', { now: () => Date.now() + 5.5 * MINUTE });
    const { incidentId } = ahead.call('incidents.declare', { title: 'Clock drift', severity: 'P3' });
    ahead.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    await showIncident(ahead, incidentId);
    await waitFor(() => expect(syncLine()).toHaveTextContent('Your clock differs from the relay host by 5 min (ahead)'), LIMIT);
  });

  it("does not mention the clock when it is within a minute of the relay host's", async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana', { now: () => Date.now() - 20_000 });
    const { incidentId } = ana.call('incidents.declare', { title: 'Clock fine', severity: 'P3' });
    ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    await showIncident(ana, incidentId);
    await waitFor(() => expect(within(syncLine()).getByText('live')).toBeInTheDocument(), LIMIT);
    await poll(() => status(ana, incidentId).clockOffsetMs !== null, 'the offset to be measured');
    expect(syncLine()).not.toHaveTextContent('clock differs');
  });

  it('raises an equivocation alarm as a banner', async () => {
    // Eve's data folder was copied and the copy wrote on its own: two different ops at one seq. The
    // copy's op reached Bea by hand while she was offline; the relay holds the real one.
    const relay = await startTestRelay();
    const { incidentId, eve, beaDir } = await stageEquivocation(relay);
    const bea = openCore(beaDir);
    await showIncident(bea, incidentId);
    const banner = await screen.findByRole('alert', {}, LIMIT);
    expect(banner).toHaveTextContent('Sync alarm');
    expect(banner).toHaveTextContent(`Device ${eve.deviceId} signed two different ops`);
  });
});
