import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Severity } from '../../shared/playbook/schema';
import { Notices } from '../../renderer/components/Notices';
import { ValidationTimers } from '../../renderer/components/ValidationTimers';
import { toLocalInput } from '../../renderer/format/time';
import { T0, testCore } from '../support/cores';
import { moveClockTo, openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;
const TEAM_NOTIFIED = 'Primary team notified within 10 minutes';

/** An incident detected at T0 (14:00Z), shown with the notices where refusals appear. */
async function showTimers(options: { severity?: Severity; access?: 'write' | 'read' } = {}) {
  const tc = testCore({ name: 'Ana' });
  const { incidentId } = tc.core.call('incidents.declare', { title: 'Payments failing', severity: options.severity ?? 'P1' });
  const rendered = renderConsole(
    <>
      <ValidationTimers />
      <Notices />
    </>,
    tc.core,
    options.access,
    { now: tc.clock.now },
  );
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...tc, ...rendered, incidentId };
}

const timer = (title: string) => screen.getByRole('timer', { name: title });

describe('ValidationTimers', () => {
  it('counts down "team notified": green, amber at 8 minutes, red past 10', async () => {
    const { stores, clock } = await showTimers();

    await moveClockTo(stores, clock, T0 + 1_000);
    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('9m 59s left');
    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('by 14:10:00Z');
    expect(timer(TEAM_NOTIFIED).closest('li')).toHaveClass('validation-ok');

    await moveClockTo(stores, clock, T0 + 8 * MINUTE);
    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('2m 00s left · due soon');
    expect(timer(TEAM_NOTIFIED).closest('li')).toHaveClass('validation-warning');

    await moveClockTo(stores, clock, T0 + 10 * MINUTE + 30_000);
    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('missed · overdue 0m 30s');
    expect(timer(TEAM_NOTIFIED).closest('li')).toHaveClass('validation-breached');
  });

  it('shows the timer met, with its time, after "Team notified"', async () => {
    const user = userEvent.setup();
    const { stores, clock } = await showTimers();
    await moveClockTo(stores, clock, T0 + 8 * MINUTE);

    await user.click(screen.getByRole('button', { name: 'Team notified' }));

    await waitFor(() => expect(timer(TEAM_NOTIFIED)).toHaveTextContent('met at 14:08:00Z (took 8m 00s)'));
    expect(timer(TEAM_NOTIFIED).closest('li')).toHaveClass('validation-ok');
    expect(screen.queryByRole('button', { name: 'Team notified' })).not.toBeInTheDocument();
    expect(screen.getByText('Team notified · 14:08:00Z')).toBeInTheDocument();
    // Later ticks do not move a met clock.
    await moveClockTo(stores, clock, T0 + 30 * MINUTE);
    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('met at 14:08:00Z');
  });

  it('sets "Root cause identified" now and shows its time', async () => {
    const user = userEvent.setup();
    const { stores, clock } = await showTimers({ severity: 'P0' });
    await moveClockTo(stores, clock, T0 + 42 * MINUTE);

    await user.click(screen.getByRole('button', { name: 'Root cause identified' }));

    await waitFor(() => expect(screen.getByText('Root cause identified · 14:42:00Z')).toBeInTheDocument());
    expect(timer('Root cause identified within 1 hour (P0/P1)')).toHaveTextContent('met at 14:42:00Z');
  });

  it('mutes items for other severities and says which they are for', async () => {
    await showTimers({ severity: 'P2' });

    const rootCause = timer('Root cause identified within 1 hour (P0/P1)');
    expect(rootCause).toHaveTextContent('P0/P1 only');
    expect(rootCause).toHaveTextContent('this incident is P2');
    expect(rootCause.closest('li')).toHaveClass('validation-muted');
    expect(timer('Incident detected within 5 minutes')).toHaveTextContent('starts at impact started');
    expect(timer('System recovered within RTO')).toHaveTextContent('no RTO for the affected systems');
  });

  it('lists all nine milestones, refuses changing a set one without a reason, and accepts it with one', async () => {
    const user = userEvent.setup();
    await showTimers();

    await user.click(screen.getByRole('button', { name: 'Edit milestones' }));
    const milestones = within(screen.getByRole('list', { name: 'Milestones' })).getAllByRole('listitem');
    expect(milestones).toHaveLength(9);
    const detected = screen.getByRole('listitem', { name: 'Detected' });
    expect(detected).toHaveTextContent('2026-11-29 14:00Z');
    expect(detected).toHaveTextContent('default');
    expect(screen.getByRole('listitem', { name: 'Mitigated' })).toHaveTextContent('not set');

    fireEvent.change(within(detected).getByLabelText('Detected time (local)'), { target: { value: toLocalInput(T0 - 3 * MINUTE) } });
    await user.click(within(detected).getByRole('button', { name: 'Save Detected' }));

    // Said inside the milestone's own form (and not again among the notices), the time typed kept.
    const change = within(detected).getByRole('form', { name: 'Change Detected' });
    expect(await within(change).findByRole('alert')).toHaveTextContent('reason: required to change milestone detected, which is already set');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(within(detected).getByLabelText('Detected time (local)')).toHaveValue(toLocalInput(T0 - 3 * MINUTE));
    expect(screen.getByRole('listitem', { name: 'Detected' })).toHaveTextContent('2026-11-29 14:00Z');

    await user.type(within(detected).getByRole('textbox', { name: 'Reason for changing Detected' }), 'alert fired at 13:57');
    await user.click(within(detected).getByRole('button', { name: 'Save Detected' }));

    await waitFor(() => expect(screen.getByRole('listitem', { name: 'Detected' })).toHaveTextContent('2026-11-29 13:57Z'));
    expect(screen.getByRole('listitem', { name: 'Detected' })).toHaveTextContent('edited: alert fired at 13:57');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Clear edit of Detected' })).toBeInTheDocument();
  });

  it('shows the clocks and milestones without any control in a read-only view', async () => {
    const user = userEvent.setup();
    await showTimers({ access: 'read' });

    expect(timer(TEAM_NOTIFIED)).toHaveTextContent('10m 00s left');
    expect(screen.queryByRole('button', { name: 'Team notified' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Root cause identified' })).not.toBeInTheDocument();
    // The only button opens the milestone list, which has nothing to edit.
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Milestones']);
    await user.click(screen.getByRole('button', { name: 'Milestones' }));
    expect(screen.getByRole('listitem', { name: 'Detected' })).toHaveTextContent('2026-11-29 14:00Z');
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
    expect(screen.getAllByRole('button')).toHaveLength(1);
  });
});
