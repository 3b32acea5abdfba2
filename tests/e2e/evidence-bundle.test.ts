/**
 * An evidence bundle carried between two consoles in Chromium, as on a USB stick: Ana's console
 * saves it from the command palette (a real download), the saved file verifies offline, and Bea's
 * console imports it from the incident list, giving the incident's link when asked, and shows the
 * incident with the same replicated state.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { replicatedIncident } from '../../electron/core/queries/replicated-state';
import { nodeCrypto } from '../../electron/crypto';
import { verifyBundle } from '../../shared/evidence/verify-bundle';
import { formatJoinLink } from '../../shared/sync/join-link';
import { launchChromium, openConsole, startConsole } from '../support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});

describe('evidence bundle between two consoles in Chromium', () => {
  it('exports from the palette, verifies, and imports on another console with the link', async () => {
    const ana = await startConsole();
    const { incidentId } = ana.core.call('incidents.declare', { title: 'Database failover', severity: 'P1' });
    ana.core.call('timeline.add', { incidentId, text: 'Replica promoted at 14:02' });

    const exporter = await openConsole(browser, ana.writeUrl);
    await exporter.page.goto(`${new URL(ana.writeUrl).origin}/#/incident/${incidentId}`);
    await exporter.page.getByRole('heading', { name: 'Database failover' }).waitFor();
    await exporter.page.keyboard.press('Control+k');
    await exporter.page.keyboard.type('export evidence');
    const [download] = await Promise.all([exporter.page.waitForEvent('download'), exporter.page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^incident-${incidentId}-\\d{8}T\\d{4}Z\\.sitrep-evidence$`));
    const file = await download.path();
    expect(verifyBundle(nodeCrypto, fs.readFileSync(file))).toMatchObject({ ok: true, incidentId });

    const bea = await startConsole();
    const importer = await openConsole(browser, bea.writeUrl);
    await importer.page.getByRole('button', { name: 'Import evidence bundle…' }).click();
    const form = importer.page.getByRole('form', { name: 'Import evidence bundle' });
    await form.getByLabel(/^Evidence bundle file/).setInputFiles(file);
    await form.getByRole('button', { name: 'Import' }).click();
    await form.getByRole('alert').getByText(`holds no key for incident ${incidentId}`).waitFor();

    const held = ana.core.context.incidentKeys(incidentId)!;
    const link = formatJoinLink({ relay: { host: '127.0.0.1', port: 9, tls: false }, incidentId, access: 'read', secret: held.keys.readSecret });
    await form.getByRole('textbox', { name: /^Incident link/ }).fill(link);
    await form.getByRole('button', { name: 'Import' }).click();

    await importer.page.getByRole('heading', { name: 'Database failover' }).waitFor();
    await importer.page.getByText('Replica promoted at 14:02').waitFor();
    expect(replicatedIncident(bea.core.context.db, incidentId)).toEqual(replicatedIncident(ana.core.context.db, incidentId));
    expect([...exporter.errors, ...importer.errors]).toEqual([]);
  });
});
