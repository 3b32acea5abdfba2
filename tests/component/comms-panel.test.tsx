import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CommsPanel } from '../../renderer/components/CommsPanel';
import type { Core } from '../../electron/core/core';
import { nextUpdateDue } from '../../shared/model/update-cadence';
import { caught } from '../support/api-expect';
import { T0, testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const MINUTE = 60_000;

function declareP2(core: Core): string {
  return core.call('incidents.declare', { title: 'Checkout failing', severity: 'P2', affectedSystems: ['api-services'] }).incidentId;
}

async function showComms(core: Core, incidentId: string, access: 'write' | 'read' = 'write') {
  const rendered = renderConsole(<CommsPanel />, core, access);
  await act(() => openIncident(rendered.stores, incidentId));
  await screen.findByRole('heading', { name: 'Communications' });
  return rendered;
}

const message = () => screen.getByLabelText<HTMLTextAreaElement>('Message');

describe('CommsPanel', () => {
  it('fills the internal notification from the incident: priority, title, affected systems', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    await showComms(core, incidentId);

    expect(screen.getByRole('tab', { name: /Internal Incident Notification/ })).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(message().value).toContain('Priority: P2'));
    expect(message().value).toContain('Title: Checkout failing');
    expect(message().value).toContain('Affected: API Services');
    expect(message().value).toContain('Time: 2026-11-29 14:00 UTC');
    expect(screen.queryByLabelText('Subject')).not.toBeInTheDocument();
  });

  it('follows the incident: a severity change re-renders the text', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    await showComms(core, incidentId);
    await waitFor(() => expect(message().value).toContain('Priority: P2'));

    core.call('incidents.setField', { incidentId, field: 'severity', value: 'P1' });

    await waitFor(() => expect(message().value).toContain('Priority: P1'));
  });

  it('the customer message has its subject, and typing the status page URL fills it in', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    await showComms(core, incidentId);

    await user.click(screen.getByRole('tab', { name: /Customer Communication/ }));
    await waitFor(() => expect(screen.getByLabelText('Subject')).toHaveValue('Emotion Economy Service Update'));
    expect(message().value).toContain('For updates, please check our status page: [Status page URL]');
    expect(screen.getByText(/Still to fill in/)).toHaveTextContent('Still to fill in: Estimated resolution, Status page URL');

    await user.type(screen.getByLabelText('Status page URL'), 'https://status.example.com');

    await waitFor(() => expect(message().value).toContain('For updates, please check our status page: https://status.example.com'));
    expect(screen.getByText(/Still to fill in/)).toHaveTextContent('Still to fill in: Estimated resolution');
  });

  it('Copy puts subject and message on the clipboard and says so', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    const { stores } = await showComms(core, incidentId);
    await user.click(screen.getByRole('tab', { name: /Customer Communication/ }));
    await user.type(screen.getByLabelText('Estimated resolution'), '15:30 UTC');
    await waitFor(() => expect(message().value).toContain('Estimated Resolution: 15:30 UTC'));

    await user.click(screen.getByRole('button', { name: 'Copy' }));

    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(1));
    const copied = writeText.mock.calls[0][0];
    expect(copied.startsWith('Subject: Emotion Economy Service Update\n\nDear valued user,\n')).toBe(true);
    expect(copied).toContain("We're currently experiencing Checkout failing.");
    expect(copied).toContain('Estimated Resolution: 15:30 UTC');
    expect(stores.notices.getState().notices).toMatchObject([{ tone: 'info', text: 'Copied' }]);
  });

  it('Mark sent records the edited text, sets the first communication and restarts the update countdown', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    await showComms(core, incidentId);
    await waitFor(() => expect(message().value).toContain('Priority: P2'));
    clock.advance(20 * MINUTE);

    await user.type(message(), '\nBridge: room 4');
    expect(screen.getByText(/Edited by hand/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mark sent' }));

    await waitFor(() => expect(core.call('timeline.list', { incidentId, kinds: ['communication'] }).total).toBe(1));
    const [entry] = core.call('timeline.list', { incidentId, kinds: ['communication'] }).entries;
    expect(entry).toMatchObject({ kind: 'communication', template: 'internal-notification' });
    expect(entry.text).toContain('Priority: P2');
    expect(entry.text.endsWith('Bridge: room 4')).toBe(true);
    const { state } = core.call('incidents.get', { incidentId });
    expect(state.milestones.firstCommunicationSent?.at).toBe(T0 + 20 * MINUTE);
    expect(nextUpdateDue(state, clock.now())?.lastUpdateAt).toBe(T0 + 20 * MINUTE);
  });

  it('a value the core refuses keeps what was typed, with the reason beside the values', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    const { stores } = await showComms(core, incidentId);
    await user.click(screen.getByRole('tab', { name: /Customer Communication/ }));
    await waitFor(() => expect(screen.getByLabelText('Subject')).toHaveValue('Emotion Economy Service Update'));
    const url = `https://status.example.com/${'x'.repeat(20_000)}`;
    const refusal = caught(() => core.call('comms.render', { incidentId, templateId: 'customer-update', values: { 'status-page-url': url } })).message;

    await user.click(screen.getByLabelText('Status page URL'));
    await user.paste(url);

    const panel = screen.getByRole('tabpanel');
    expect(await within(panel).findByRole('alert')).toHaveTextContent(refusal);
    expect(screen.getByLabelText('Status page URL')).toHaveValue(url);
    expect(stores.notices.getState().notices).toEqual([]);

    await user.clear(screen.getByLabelText('Status page URL'));
    await user.type(screen.getByLabelText('Status page URL'), 'https://status.example.com');
    await waitFor(() => expect(message().value).toContain('check our status page: https://status.example.com'));
    expect(within(panel).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('a message the core refuses to record stays as typed, with the reason under "Mark sent"', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    const { stores } = await showComms(core, incidentId);
    await waitFor(() => expect(message().value).toContain('Priority: P2'));

    await user.click(message());
    await user.paste(`\n${'Bridge: room 4. '.repeat(1_300)}`);
    const typed = message().value;
    const refusal = caught(() => core.call('comms.markSent', { incidentId, templateId: 'internal-notification', text: typed })).message;
    await user.click(screen.getByRole('button', { name: 'Mark sent' }));

    expect(await within(screen.getByRole('tabpanel')).findByRole('alert')).toHaveTextContent(refusal);
    expect(message()).toHaveValue(typed);
    expect(core.call('timeline.list', { incidentId, kinds: ['communication'] }).total).toBe(0);
    expect(stores.notices.getState().notices).toEqual([]);
  });

  it('Restore template text drops the hand edits', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    const user = userEvent.setup();
    await showComms(core, incidentId);
    await waitFor(() => expect(message().value).toContain('Priority: P2'));
    const original = message().value;

    await user.type(message(), ' (draft)');
    await user.click(screen.getByRole('button', { name: 'Restore template text' }));

    expect(message().value).toBe(original);
    expect(screen.queryByText(/Edited by hand/)).not.toBeInTheDocument();
  });

  it('read only: the text is visible, not editable, and cannot be marked sent', async () => {
    const { core } = testCore({ name: 'Ana' });
    const incidentId = declareP2(core);
    await showComms(core, incidentId, 'read');

    await waitFor(() => expect(message().value).toContain('Priority: P2'));
    expect(message()).toHaveAttribute('readonly');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Mark sent' })).not.toBeInTheDocument();
  });
});
