/**
 * Evidence bundles in the console: "Import evidence bundle…" on the incident list (file picker,
 * the link asked for when this machine holds no key, refusals beside the form, nothing stored),
 * and "Export evidence bundle" in the command palette of an open incident, saved through saveFile.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { useRoute } from '../../renderer/app/route';
import { IncidentList } from '../../renderer/components/IncidentList';
import { nodeCrypto } from '../../electron/crypto';
import { verifyBundle } from '../../shared/evidence/verify-bundle';
import { formatJoinLink } from '../../shared/sync/join-link';
import { opCount } from '../support/api-expect';
import { testCore } from '../support/cores';
import { exportBundle } from '../support/evidence';
import { openIncident, renderConsole } from '../support/render-console';

function ListWhenRouted() {
  return useRoute().screen === 'incidents' ? <IncidentList /> : null;
}

/** Ana's incident with a note, exported as a bundle, and its read link. */
function anasBundle() {
  const { core: ana } = testCore({ name: 'Ana laptop' });
  const { incidentId } = ana.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
  ana.call('timeline.add', { incidentId, text: 'Error rate 7 %' });
  const held = ana.context.incidentKeys(incidentId)!;
  const link = formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access: 'read', secret: held.keys.readSecret });
  return { ana, incidentId, bytes: exportBundle(ana, incidentId), link };
}

const bundleFile = (bytes: Uint8Array, name = 'payments.sitrep-evidence') => new File([bytes.slice().buffer as ArrayBuffer], name, { type: 'application/octet-stream' });
const importForm = () => screen.getByRole('form', { name: 'Import evidence bundle' });

beforeEach(() => {
  window.location.hash = '';
});

describe('importing an evidence bundle from the incident list', () => {
  it('asks for the link when this machine holds no key, then imports and opens the incident', async () => {
    const { incidentId, bytes, link } = anasBundle();
    const { core } = testCore();
    const user = userEvent.setup();
    renderConsole(<ListWhenRouted />, core);

    await user.click(await screen.findByRole('button', { name: 'Import evidence bundle…' }));
    await user.upload(within(importForm()).getByLabelText(/^Evidence bundle file/), bundleFile(bytes));
    await user.click(within(importForm()).getByRole('button', { name: 'Import' }));

    expect(await within(importForm()).findByRole('alert')).toHaveTextContent(`holds no key for incident ${incidentId}`);
    expect(opCount(core)).toBe(0);
    const linkInput = within(importForm()).getByRole('textbox', { name: /^Incident link/ });
    expect(linkInput).toHaveFocus();
    await user.paste(link);
    await user.click(within(importForm()).getByRole('button', { name: 'Import' }));

    await waitFor(() => expect(window.location.hash).toBe(`#/incident/${incidentId}`));
    expect(core.call('incidents.get', { incidentId })).toMatchObject({ access: 'read', state: { title: 'Payments failing' } });
    expect(core.call('timeline.list', { incidentId }).entries.map((e) => e.text)).toContain('Error rate 7 %');
  });

  it('refuses a tampered bundle beside the form, storing nothing', async () => {
    const { bytes, ana } = anasBundle();
    const tampered = bytes.slice();
    tampered[tampered.length - 500] ^= 0x01;
    // This machine already holds the incident: no link is asked, and the bundle is refused on its own.
    const user = userEvent.setup();
    const before = opCount(ana);
    renderConsole(<ListWhenRouted />, ana);
    await user.click(await screen.findByRole('button', { name: 'Import evidence bundle…' }));
    await user.upload(within(importForm()).getByLabelText(/^Evidence bundle file/), bundleFile(tampered));
    await user.click(within(importForm()).getByRole('button', { name: 'Import' }));

    const alert = await within(importForm()).findByRole('alert');
    expect(alert).toHaveTextContent('the evidence bundle does not verify, nothing of it was stored');
    expect(alert).toHaveTextContent('hash to');
    expect(opCount(ana)).toBe(before);
    expect(window.location.hash).toBe('');
  });

  it('refuses a file that is not a bundle, saying so', async () => {
    const { core } = testCore();
    const user = userEvent.setup();
    renderConsole(<ListWhenRouted />, core);
    await user.click(await screen.findByRole('button', { name: 'Import evidence bundle…' }));
    await user.upload(within(importForm()).getByLabelText(/^Evidence bundle file/), bundleFile(new TextEncoder().encode('# Post-mortem\n'), 'notes.md'));
    await user.click(within(importForm()).getByRole('button', { name: 'Import' }));
    expect(await within(importForm()).findByRole('alert')).toHaveTextContent('not a Sitrep evidence bundle');
  });
});

describe('exporting an evidence bundle from the command palette', () => {
  it('saves the incident\'s bundle, which verifies', async () => {
    const { core } = testCore({ name: 'Ana laptop' });
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    window.location.hash = `#/incident/${incidentId}`;
    const saved: Blob[] = [];
    const names: string[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:evidence';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    try {
      const user = userEvent.setup();
      const { stores } = renderConsole(<KeyboardShortcuts />, core);
      await openIncident(stores, incidentId);
      await user.keyboard('{Control>}k{/Control}');
      await user.keyboard('export evidence');
      await user.keyboard('{Enter}');
      await waitFor(() => expect(saved).toHaveLength(1));
      expect(names[0]).toMatch(new RegExp(`^incident-${incidentId}-\\d{8}T\\d{4}Z\\.sitrep-evidence$`));
      const report = verifyBundle(nodeCrypto, new Uint8Array(await saved[0].arrayBuffer()));
      expect(report).toMatchObject({ ok: true, incidentId, exporter: { name: 'Ana laptop' } });
    } finally {
      createObjectURL.mockRestore();
      revoke.mockRestore();
      click.mockRestore();
    }
  });
});
