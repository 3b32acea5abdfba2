import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Mock } from 'vitest';
import { DueNotifications } from '../../renderer/components/DueNotifications';
import { Notices } from '../../renderer/components/Notices';
import { SOUND_PREFERENCE_KEY } from '../../renderer/notifications/desktop-notifier';
import { testCore, T0 } from '../support/cores';
import { moveClockTo, openIncident, renderConsole } from '../support/render-console';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** The setup's Notification stand-in (tests/component/setup.ts). */
interface NotificationStandIn {
  permission: NotificationPermission;
  requestPermission: Mock<() => Promise<NotificationPermission>>;
  shown: Array<{ title: string; options?: NotificationOptions }>;
}
const desktop = globalThis.Notification as unknown as NotificationStandIn;

const shownTitled = (title: string) => desktop.shown.filter((n) => n.title === title);

/** A P1 declared at T0 (an update every hour), open with the notifier mounted. */
async function openP1() {
  const { core, clock } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  const rendered = renderConsole(
    <>
      <DueNotifications />
      <Notices />
    </>,
    core,
    'write',
    { now: clock.now },
  );
  await moveClockTo(rendered.stores, clock, T0 + SECOND);
  await act(() => openIncident(rendered.stores, incidentId));
  return { ...rendered, core, clock, incidentId };
}

beforeEach(() => {
  desktop.shown.length = 0;
  desktop.permission = 'granted';
  desktop.requestPermission.mockClear();
  localStorage.clear();
});

describe('DueNotifications', () => {
  it('raises one notification when the next update becomes overdue, and not again on the next ticks', async () => {
    const { stores, clock, incidentId } = await openP1();
    await moveClockTo(stores, clock, T0 + 56 * MINUTE);
    await waitFor(() => expect(shownTitled('Status update due soon')).toHaveLength(1));
    expect(shownTitled('Status update overdue')).toEqual([]);

    await moveClockTo(stores, clock, T0 + 61 * MINUTE);
    await waitFor(() => expect(shownTitled('Status update overdue')).toHaveLength(1));
    const [overdue] = shownTitled('Status update overdue');
    expect(overdue.options?.body).toBe('P1 Payments failing: the status update was due at 2026-11-29 15:00 UTC, 1m 00s ago.');
    expect(overdue.options?.tag).toBe(`${incidentId}:update-overdue:${T0 + 60 * MINUTE}`);

    const before = desktop.shown.length;
    await moveClockTo(stores, clock, T0 + 61 * MINUTE + SECOND);
    await moveClockTo(stores, clock, T0 + 62 * MINUTE);
    expect(shownTitled('Status update overdue')).toHaveLength(1);
    expect(desktop.shown).toHaveLength(before);
  });

  it('tells of missed validation limits once each', async () => {
    const { stores, clock } = await openP1();
    await moveClockTo(stores, clock, T0 + 11 * MINUTE);
    await waitFor(() => expect(shownTitled('Missed: Primary team notified within 10 minutes')).toHaveLength(1));
    await moveClockTo(stores, clock, T0 + 12 * MINUTE);
    expect(shownTitled('Missed: Primary team notified within 10 minutes')).toHaveLength(1);
  });

  it('asks for permission first when the person has not decided yet', async () => {
    desktop.permission = 'default';
    desktop.requestPermission.mockResolvedValueOnce('granted');
    const { stores, clock } = await openP1();
    await moveClockTo(stores, clock, T0 + 61 * MINUTE);
    await waitFor(() => expect(shownTitled('Status update overdue')).toHaveLength(1));
    expect(desktop.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('shows the alert in the console when desktop notifications are denied', async () => {
    desktop.permission = 'denied';
    const { stores, clock } = await openP1();
    await moveClockTo(stores, clock, T0 + 61 * MINUTE);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toContainEqual(expect.stringContaining('Status update overdue. P1 Payments failing'));
    expect(desktop.shown).toEqual([]);
    expect(screen.getByText(/Desktop notifications are off here/)).toBeInTheDocument();
  });

  it('beeps only once "Sound" is on, and remembers the choice', async () => {
    const beeps = vi.fn();
    class AudioContextStandIn {
      currentTime = 0;
      destination = {};
      createGain = () => ({ gain: { value: 0 }, connect: (next: unknown) => next });
      createOscillator = () => ({ frequency: { value: 0 }, connect: (next: unknown) => next, start: beeps, stop: () => undefined, onended: null });
      close = async () => undefined;
    }
    vi.stubGlobal('AudioContext', AudioContextStandIn);
    try {
      const user = userEvent.setup();
      const { stores, clock } = await openP1();
      const sound = screen.getByRole('checkbox', { name: 'Sound' });
      expect(sound).not.toBeChecked();
      await moveClockTo(stores, clock, T0 + 11 * MINUTE);
      await waitFor(() => expect(desktop.shown.length).toBeGreaterThan(0));
      expect(beeps).not.toHaveBeenCalled();

      await user.click(sound);
      expect(localStorage.getItem(SOUND_PREFERENCE_KEY)).toBe('on');
      await moveClockTo(stores, clock, T0 + 61 * MINUTE);
      await waitFor(() => expect(shownTitled('Status update overdue')).toHaveLength(1));
      expect(beeps).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
