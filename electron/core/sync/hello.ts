/**
 * What a device answers a relay's challenge with (protocol.ts `hello`): who it is, signed over the
 * relay's nonce — a writer with its device key (and WA's certificate while the relay may hold no op
 * of it), a reader with RA — plus its cursor, its heads and the incident's genesis.
 *
 * Invariants: no secret and no bearer token leaves the device, only public keys and signatures;
 * the cursor is offered only for the epoch it was earned in; a reader that holds no genesis yet
 * names no write authority (a read link carries R, not WA).
 */
import { issueCertificate } from '../../../shared/sync/incident-keys';
import { fromBase64, helloMessage, PROTOCOL_VERSION, toBase64, type FrameHeader, type Heads } from '../../../shared/sync/protocol';
import type { CoreContext } from '../core-context';
import { genesisOf, heldHeads, relayHeads, syncedIncident } from './sync-store';

export function helloFor(
  ctx: CoreContext,
  incident: string,
  challenge: FrameHeader<'challenge'>,
): { header: FrameHeader<'hello'>; blobs: Uint8Array[] } | null {
  const access = ctx.incidentKeys(incident);
  if (!access) return null;
  const synced = syncedIncident(ctx.db, incident);
  const sameEpoch = synced?.epoch === challenge.epoch;
  const nonce = fromBase64(challenge.nonce);
  const genesis = genesisOf(ctx.db, incident);
  const have: Heads = {};
  for (const head of heldHeads(ctx.db, incident)) have[head.device] = { seq: head.seq, head: toBase64(head.hash) };
  const cursor = sameEpoch && synced?.epoch ? { epoch: synced.epoch, relaySeq: synced.cursor } : null;
  let identity: Pick<FrameHeader<'hello'>, 'as' | 'key' | 'signature' | 'writeAuthority' | 'certificate'>;
  if (access.access === 'write') {
    const key = ctx.keys.deviceKey.publicKey;
    const onRelay = sameEpoch && (relayHeads(ctx.db, incident).get(ctx.keys.deviceId) ?? 0) > 0;
    identity = {
      as: 'writer',
      key: toBase64(key),
      signature: toBase64(ctx.keys.deviceKey.sign(helloMessage(nonce, incident, key))),
      writeAuthority: toBase64(access.keys.writeAuthority.publicKey),
      ...(!onRelay && { certificate: toBase64(issueCertificate(access.keys.writeAuthority, key, incident)) }),
    };
  } else {
    const key = access.keys.readAuthority.publicKey;
    identity = {
      as: 'reader',
      key: toBase64(key),
      signature: toBase64(access.keys.readAuthority.sign(helloMessage(nonce, incident, key))),
      writeAuthority: genesis ? toBase64(genesis.writeAuthority) : '',
    };
  }
  return {
    header: { protocol: PROTOCOL_VERSION, incident, ...identity, cursor, have },
    blobs: genesis ? [genesis.envelope] : [],
  };
}
