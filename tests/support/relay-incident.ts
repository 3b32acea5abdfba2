/**
 * Real incidents for relay tests: declared on a real core, with real signed ops, and the keys a
 * device holding the write link has (WA to certify, RA to read, its own device key to say hello).
 */
import { v7 as uuidv7 } from 'uuid';
import { nodeCrypto as c } from '../../electron/crypto';
import { encodePayload, PAYLOAD_SCHEMA_VERSION } from '../../shared/model/op-payload';
import type { SigningKey } from '../../shared/sync/crypto';
import { issueCertificate, writerKeys, type WriterKeys } from '../../shared/sync/incident-keys';
import { encodeOp, opHash, type OpDraft } from '../../shared/sync/op-envelope';
import { opsOf, shareIncident, T0, testCore, type TestCore } from './cores';
import { chainsOf, headerOf } from './op-delivery';

export interface RelayIncident {
  author: TestCore;
  incidentId: string;
  title: string;
  genesis: Uint8Array;
  /** The author device's ops in seq order (seq 1 is the declare). */
  chain: Uint8Array[];
  keys: WriterKeys;
  deviceKey: SigningKey;
  deviceId: string;
  certificate: Uint8Array;
}

/** Declares an incident titled `title` and adds `entries` timeline entries, texts from `text`. */
export function relayIncident(o: { title?: string; entries?: number; text?: (i: number) => string } = {}): RelayIncident {
  const author = testCore({ name: 'Alpha', start: T0 });
  const title = o.title ?? 'Payments degraded';
  const { incidentId } = author.core.call('incidents.declare', { title, severity: 'P1' });
  for (let i = 1; i <= (o.entries ?? 6); i++) {
    author.clock.advance(1_000);
    author.core.call('timeline.add', { incidentId, text: o.text?.(i) ?? `alpha entry ${i}` });
  }
  // Plain Uint8Arrays, as they come off the wire (the core's store hands out Buffers).
  const { genesis, chains } = chainsOf(opsOf(author.core, incidentId).map((op) => new Uint8Array(op)));
  const keys = writerKeys(c, author.core.context.keys.incidentSecret(incidentId)!.secret);
  const deviceKey = author.core.context.keys.deviceKey;
  return {
    author,
    incidentId,
    title,
    genesis,
    chain: chains.find((chain) => headerOf(chain[0]).deviceId === author.core.deviceId)!,
    keys,
    deviceKey,
    deviceId: author.core.deviceId,
    certificate: issueCertificate(keys.writeAuthority, deviceKey.publicKey, incidentId),
  };
}

/** A second writer of `incident`, on its own core, with `entries` ops of its own. */
export function secondWriter(incident: RelayIncident, entries = 3): { writer: TestCore; chain: Uint8Array[]; certificate: Uint8Array } {
  const writer = testCore({ name: 'Charlie', start: T0 + 60_000 });
  shareIncident(incident.author.core, writer.core, incident.incidentId);
  for (let i = 1; i <= entries; i++) writer.core.call('timeline.add', { incidentId: incident.incidentId, text: `charlie entry ${i}` });
  const chain = opsOf(writer.core, incident.incidentId)
    .filter((op) => headerOf(op).deviceId === writer.core.deviceId)
    .map((op) => new Uint8Array(op));
  return { writer, chain, certificate: issueCertificate(incident.keys.writeAuthority, writer.core.context.keys.deviceKey.publicKey, incident.incidentId) };
}

/**
 * An op by the incident's author device at `seq` after `prev`, well formed and signed by the
 * device's real key: what a cloned or rolled-back device would send.
 */
export function authorOp(incident: RelayIncident, seq: number, prev: Uint8Array, text: string): Uint8Array {
  const draft: OpDraft = {
    type: 'op',
    incidentId: incident.incidentId,
    seq,
    hlc: { ms: T0 + 3_600_000, counter: 0 },
    prev,
    clockOffsetMs: 0,
    payload: encodePayload({
      schema: PAYLOAD_SCHEMA_VERSION,
      at: T0,
      by: 'Alpha',
      kind: 'entry.add',
      entry: { id: uuidv7({ msecs: T0 }), kind: 'note', text, occurredAt: T0 },
    }),
    contentKey: incident.keys.contentKey,
    signer: incident.deviceKey,
  };
  return encodeOp(c, draft);
}

export const hashOf = (bytes: Uint8Array): Uint8Array => opHash(c, bytes);
