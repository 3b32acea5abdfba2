/**
 * Joining by link (DESIGN.md §5 "Keys and rights"): a write link puts its person on the roster
 * with this device (that op carries the device's certificate) and lets it write; a read link
 * reads and writes nothing, locally refused as 'read-only' and refused by the relay too.
 */
import WebSocket from 'ws';
import { nodeCrypto } from '../../../electron/crypto';
import { decodeFrame, encodeFrame, fromBase64, helloMessage, PROTOCOL_VERSION, toBase64, type Frame } from '../../../shared/sync/protocol';
import { parseJoinLink } from '../../../shared/sync/join-link';
import { readerKeys } from '../../../shared/sync/incident-keys';
import { decodeOp } from '../../../shared/sync/op-envelope';
import { incidentOps } from '../../../electron/core/op-log';
import { SitrepError } from '../../../shared/errors';
import { converged, entryTexts, openCore, relayAddress, startTestRelay, status, waitFor } from './sync-harness';

async function sharedIncident() {
  const relay = await startTestRelay();
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'API latency', severity: 'P2' });
  ana.call('timeline.add', { incidentId, text: 'p99 at 4 s' });
  const links = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  return { relay, ana, incidentId, links };
}

/** Speaks the relay protocol directly: connects as the incident's reader and answers with the frames it got. */
async function readerSession(url: string, incidentId: string, readSecret: Uint8Array) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const frames: Frame[] = [];
  ws.on('message', (data: Buffer) => frames.push(decodeFrame(new Uint8Array(data))));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const challenge = await waitFor(() => frames.find((f) => f.type === 'challenge'), 'the challenge');
  if (challenge.type !== 'challenge') throw new Error('not a challenge');
  const ra = readerKeys(nodeCrypto, readSecret).readAuthority;
  const signature = ra.sign(helloMessage(fromBase64(challenge.header.nonce), incidentId, ra.publicKey));
  ws.send(
    encodeFrame('hello', {
      protocol: PROTOCOL_VERSION,
      incident: incidentId,
      writeAuthority: '',
      as: 'reader',
      key: toBase64(ra.publicKey),
      signature: toBase64(signature),
      cursor: null,
      have: {},
    }),
  );
  await waitFor(() => frames.some((f) => f.type === 'welcome'), 'the welcome');
  return { ws, frames };
}

describe('joining a shared incident by link', () => {
  it('with a write link: on the roster with this device, can write, and the others see it', async () => {
    const { ana, incidentId, links } = await sharedIncident();
    const bea = openCore();
    expect(bea.call('incidents.join', { link: links.writeLink!, name: 'Bea Lopez' })).toEqual({ incidentId });
    expect(bea.call('device.get', {}).name).toBe('Bea Lopez');

    const bead = await waitFor(
      () => ana.call('roster.get', { incidentId }).people.find((p) => p.name === 'Bea Lopez'),
      "Bea's roster entry to reach Ana",
    );
    expect(bead.deviceIds).toEqual([bea.deviceId]);
    const first = incidentOps(bea.context.db, incidentId)
      .map((bytes) => decodeOp(bytes).header)
      .find((h) => h.deviceId === bea.deviceId && h.seq === 1);
    expect(first?.certificate).toBeDefined();

    expect(bea.call('incidents.links', { incidentId }).writeLink).toBe(links.writeLink);
    await bea.invoke('timeline.add', { incidentId, text: 'Rolled back deploy 42' });
    await converged(incidentId, ana, bea);
    expect(entryTexts(ana, incidentId)).toContain('Rolled back deploy 42');
  });

  it('with a read link: reads, its writes are refused as read-only, and the relay refuses its push', async () => {
    const { relay, ana, incidentId, links } = await sharedIncident();
    const legal = openCore();
    legal.call('incidents.join', { link: links.readLink, name: 'Legal' });
    await waitFor(() => entryTexts(legal, incidentId).includes('p99 at 4 s'), 'the observer to catch up');
    ana.call('timeline.add', { incidentId, text: 'Vendor engaged' });
    await waitFor(() => entryTexts(legal, incidentId).includes('Vendor engaged'), 'a live op to reach the observer');

    const refused = await legal.invoke('timeline.add', { incidentId, text: 'nope' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SitrepError);
    expect((refused as SitrepError).code).toBe('read-only');
    expect(legal.call('incidents.links', { incidentId })).toEqual({ relay: links.relay, writeLink: null, readLink: links.readLink });
    expect(legal.call('roster.get', { incidentId }).people).toEqual([]);
    expect(incidentOps(legal.context.db, incidentId).map((b) => decodeOp(b).header.deviceId)).not.toContain(legal.deviceId);
    await converged(incidentId, ana, legal);
    expect(status(legal, incidentId).pendingOps).toBe(0);

    const { ws, frames } = await readerSession(relay.url, incidentId, parseJoinLink(links.readLink).secret);
    ws.send(encodeFrame('push', { page: 1 }, [incidentOps(ana.context.db, incidentId).at(-1)!]));
    const error = await waitFor(() => frames.find((f) => f.type === 'error'), "the relay's answer to a reader's push");
    expect(error.type === 'error' && error.header).toMatchObject({ code: 'read-only', page: 1 });
    ws.close();
  });

  it('refuses a link whose secret is not the incident it names', async () => {
    const { links } = await sharedIncident();
    const other = openCore();
    const { incidentId: otherIncident } = other.call('incidents.declare', { title: 'Other', severity: 'P3' });
    const forged = links.writeLink!.replace(/\/[0-9a-f-]{36}#/, `/${otherIncident}#`);
    expect(() => other.call('incidents.join', { link: forged, name: 'Ana' })).toThrow(/not the one of this incident/);
  });
});
