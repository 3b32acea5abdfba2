/**
 * The export dialog and the post-mortem controls of the incident header, against a real core: the
 * chosen format's file is handed to save-file (a download: an anchor with the file's name and a
 * Blob holding the content), a refusal shows beside the form, and "Mark post-mortem final" ends the
 * "post-mortem within 7 days" validation item.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { IncidentHeader } from '../../renderer/components/IncidentHeader';
import { ValidationTimers } from '../../renderer/components/ValidationTimers';
import { useOpenIncident } from '../../renderer/state/console-stores';
import { testCore } from '../support/cores';
import { openIncident, renderConsole } from '../support/render-console';

const DAY = 24 * 60 * 60_000;

interface Download {
  name: string;
  blob: Blob;
}

/** What save-file hands the browser: the anchor's download name and the Blob behind its URL. */
function captureDownloads(): Download[] {
  const downloads: Download[] = [];
  const blobs = new Map<string, Blob>();
  let next = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${(next += 1)}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  return downloads;
}

function Header() {
  const view = useOpenIncident((s) => s.view);
  return view ? (
    <>
      <IncidentHeader view={view} />
      <ValidationTimers />
    </>
  ) : null;
}

async function onIncident(access: 'write' | 'read' = 'write') {
  const { core, clock } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Payments, "EU" <failing>', severity: 'P1' });
  core.call('timeline.add', { incidentId, text: '=1+1 looked odd, then\nrecovered' });
  window.location.hash = `#/incident/${incidentId}`;
  const user = userEvent.setup();
  const { stores } = renderConsole(
    <>
      <KeyboardShortcuts />
      <Header />
    </>,
    core,
    access,
    { now: clock.now },
  );
  await openIncident(stores, incidentId);
  return { core, clock, incidentId, user, stores };
}

afterEach(() => vi.restoreAllMocks());

describe('ExportDialog', () => {
  it('exports the chosen format through a download named after the incident', async () => {
    const downloads = captureDownloads();
    const { user } = await onIncident();
    await user.click(await screen.findByRole('button', { name: 'Export…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export incident' });
    const { violations } = await axe.run(dialog, { rules: { 'color-contrast': { enabled: false } } });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    expect(within(dialog).getByRole('radio', { name: /Markdown post-mortem/ })).toBeChecked();
    await user.click(within(dialog).getByRole('radio', { name: /CSV timeline/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));

    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].name).toBe('INC-2026-11-29-payments-eu-failing.csv');
    expect(downloads[0].blob.type).toBe('text/csv;charset=utf-8');
    const csv = await downloads[0].blob.text();
    expect(csv).toContain(`"'=1+1 looked odd, then\nrecovered"`);
    expect(within(dialog).getByRole('status')).toHaveTextContent('Saved INC-2026-11-29-payments-eu-failing.csv');

    await user.click(within(dialog).getByRole('radio', { name: /Markdown post-mortem/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(downloads).toHaveLength(2));
    expect(await downloads[1].blob.text()).toContain('# Post-mortem: Payments, "EU" &lt;failing&gt;');
  });

  it('shows a refusal beside the form (a PDF needs a printer this core lacks)', async () => {
    const downloads = captureDownloads();
    const { user } = await onIncident();
    await user.click(await screen.findByRole('button', { name: 'Export…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export incident' });
    await user.click(within(dialog).getByRole('radio', { name: /PDF post-mortem/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('no PDF printer');
    expect(downloads).toHaveLength(0);
  });

  it('opens from the command palette, in a read-only view too', async () => {
    captureDownloads();
    const { user } = await onIncident('read');
    await screen.findByRole('button', { name: 'Export…' });
    await user.keyboard('{Control>}k{/Control}');
    await user.keyboard('export');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'Export incident' })).toBeInTheDocument();
  });
});

describe('Mark post-mortem final', () => {
  it('appears once the incident is resolved and meets the 7-day validation item', async () => {
    const { core, clock, incidentId, user } = await onIncident();
    await screen.findByRole('button', { name: 'Export…' });
    expect(screen.queryByRole('button', { name: 'Mark post-mortem final' })).not.toBeInTheDocument();

    core.call('incidents.setField', { incidentId, field: 'status', value: 'resolved' });
    clock.advance(2 * DAY);
    await user.click(await screen.findByRole('button', { name: 'Mark post-mortem final' }));

    expect(await screen.findByText('Post-mortem final')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Mark post-mortem final' })).not.toBeInTheDocument();
    expect(core.call('incidents.get', { incidentId }).state.milestones.postMortemDone?.at).toBe(clock.now());
    const item = screen.getByText('Post-mortem completed within 7 days').closest('li');
    expect(item).not.toBeNull();
    expect(item!).toHaveTextContent(/met/i);
  });
});
