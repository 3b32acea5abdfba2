import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { WallDisplay, WALL_ENTRIES } from '../../renderer/components/WallDisplay';
import { testCore, T0 } from '../support/cores';
import { moveClockTo, renderConsole } from '../support/render-console';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** A P1 on the API services, declared at T0 by Ana, who leads it, with the breach flag set at T0. */
function payingIncident() {
  const { core, clock } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1', affectedSystems: ['api-services'] });
  const ana = core.call('roster.addPerson', { incidentId, name: 'Ana Lima' }).people[0].id;
  core.call('roster.assign', { incidentId, roleId: 'incident-commander', personId: ana });
  core.call('incidents.setField', { incidentId, field: 'breach', value: { flagged: true, awareAt: T0 } });
  return { core, clock, incidentId };
}

describe('WallDisplay', () => {
  it('shows the incident, its clocks, roster, validation limits and the latest entries, with nothing that writes', async () => {
    const { core, clock, incidentId } = payingIncident();
    for (let n = 1; n <= 20; n++) {
      clock.advance(SECOND);
      core.call('timeline.add', { incidentId, kind: n === 20 ? 'decision' : 'note', text: `Entry ${n}` });
    }
    const { stores, container } = renderConsole(<WallDisplay incidentId={incidentId} />, core, 'write', { now: clock.now });
    await moveClockTo(stores, clock, T0 + 12 * MINUTE);

    expect(await screen.findByRole('heading', { level: 1, name: 'Payments failing' })).toBeInTheDocument();
    expect(screen.getByText('P1')).toBeInTheDocument();
    expect(screen.getByText('active')).toBeInTheDocument();
    expect(screen.getByText('Detection & Assessment')).toBeInTheDocument();

    expect(screen.getByRole('timer', { name: 'Incident age' })).toHaveTextContent('12m 00s');
    expect(screen.getByRole('timer', { name: 'Next update due' })).toHaveTextContent('48m 00s');
    expect(screen.getByRole('timer', { name: 'RTO API Services' })).toHaveTextContent('1h 48m');
    expect(screen.getByRole('timer', { name: '72-hour notice' })).toHaveTextContent('2d 23h');

    const roster = screen.getByRole('region', { name: 'Roster' });
    expect(within(roster).getByText('Lead')).toBeInTheDocument();
    expect(within(roster).getByText('Ana Lima')).toBeInTheDocument();

    // Ten minutes to notify the primary team, twelve gone: missed, in the breached colour.
    const missed = within(screen.getByRole('region', { name: 'Validation timers' })).getByText('Primary team notified within 10 minutes').closest('li');
    expect(missed).toHaveTextContent('missed by 2m 00s');
    expect(missed).toHaveClass('wall-timer-breached');

    const latest = screen.getByRole('region', { name: 'Latest entries' });
    await within(latest).findByText('Entry 20');
    const entries = within(latest).getAllByRole('listitem');
    expect(entries).toHaveLength(WALL_ENTRIES);
    expect(entries[0]).toHaveTextContent('Entry 20');
    expect(entries[0]).toHaveTextContent('decision');
    expect(entries[WALL_ENTRIES - 1]).toHaveTextContent('Entry 6');
    expect(within(latest).queryByText('Entry 5')).not.toBeInTheDocument();

    for (const role of ['button', 'textbox', 'combobox', 'checkbox', 'link'] as const) expect(screen.queryAllByRole(role)).toEqual([]);
    expect(container.querySelector('main')).toHaveClass('wall-display');

    // jsdom computes no colours, so contrast is left to the end-to-end check in Chromium.
    const { violations } = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  it('is set in large type that scales with the screen', () => {
    // jsdom lays nothing out and the test build drops stylesheets: read the rules themselves.
    const wallCss = readFileSync(resolve(import.meta.dirname, '../../renderer/styles/wall.css'), 'utf8');
    const base = /\.wall-display \{[^}]*font-size: clamp\(([\d.]+)rem, .+, ([\d.]+)rem\);/.exec(wallCss);
    // The console's body text is 1rem; the wall never goes below 1.125rem and grows to 3.5rem on a 4K wall.
    expect(Number(base?.[1])).toBeGreaterThanOrEqual(1.125);
    expect(Number(base?.[2])).toBeGreaterThanOrEqual(3);
    expect(wallCss).toMatch(/\.wall-clock-value \{[^}]*font-size: 2\.4em/);
    expect(wallCss).toMatch(/\.wall-title \{[^}]*font-size: 2\.1em/);
  });

  it('follows the incident live: a new entry, a severity change, a redaction', async () => {
    const { core, clock, incidentId } = payingIncident();
    const secret = core.call('timeline.add', { incidentId, text: 'Customer card 4111 in the logs' });
    const { stores } = renderConsole(<WallDisplay incidentId={incidentId} />, core, 'write', { now: clock.now });
    await moveClockTo(stores, clock, T0 + MINUTE);
    const latest = await screen.findByRole('region', { name: 'Latest entries' });
    await within(latest).findByText('Customer card 4111 in the logs');

    core.call('timeline.add', { incidentId, text: 'Rolled back deploy 42' });
    expect(await within(latest).findByText('Rolled back deploy 42')).toBeInTheDocument();

    core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
    expect(await screen.findByText('P0')).toBeInTheDocument();

    core.call('timeline.redact', { incidentId, entryId: secret.id, reason: 'card number' });
    await waitFor(() => expect(within(latest).queryByText('Customer card 4111 in the logs')).not.toBeInTheDocument());
    expect(within(latest).getByText('redacted')).toBeInTheDocument();
    expect(within(latest).getByText('redacted an entry: card number')).toBeInTheDocument();
  });

  it('without an incident in the route, shows the most recently declared active one', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    core.call('incidents.declare', { title: 'Older outage', severity: 'P2' });
    clock.advance(MINUTE);
    core.call('incidents.declare', { title: 'Newest outage', severity: 'P1' });
    clock.advance(MINUTE);
    const { incidentId: resolved } = core.call('incidents.declare', { title: 'Already resolved', severity: 'P0' });
    core.call('incidents.setField', { incidentId: resolved, field: 'status', value: 'resolved' });

    renderConsole(<WallDisplay incidentId={null} />, core);
    expect(await screen.findByRole('heading', { level: 1, name: 'Newest outage' })).toBeInTheDocument();
  });

  it('says calmly that there is no active incident', async () => {
    const { core } = testCore({ name: 'Ana' });
    renderConsole(<WallDisplay incidentId={null} />, core);
    expect(await screen.findByText('No active incident')).toBeInTheDocument();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
