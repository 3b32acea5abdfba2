/**
 * The receiving side of the fan-out benchmark, in its own worker thread: `count` light protocol
 * clients (bench-net.ts LightClient, no core: they authenticate, catch up, then only note when
 * each op arrives). Against the relay they are readers of the incident (hello signed with its
 * read authority, then catch-up, so the relay sends them live ops); against the raw ceiling they
 * are plain sockets. Both read the same frames the same way (forEachOpSeq).
 *
 * Requests: connect { url, variant, count, incidentId, writeAuthority, readSecret } → {};
 * arm { firstSeq, lastSeq } starts recording those seqs; progress → { received, expected };
 * collect → { times: one Float64Array per client, indexed by seq, absNow() at arrival (0: never) };
 * close.
 */
import { parentPort } from 'node:worker_threads';
import { nodeCrypto as c } from '../../electron/crypto';
import { readerKeys } from '../../shared/sync/incident-keys';
import { absNow, forEachOpSeq, LightClient, openMany, serveRequests } from './bench-net';

const WAVE = 10;

let clients: LightClient[] = [];
let times: Float64Array[] = [];
let firstSeq = 0;
let lastSeq = -1;
let received = 0;

async function connect(m: Record<string, unknown>): Promise<void> {
  const url = m.url as string;
  const count = m.count as number;
  if (m.variant === 'relay') {
    const key = readerKeys(c, m.readSecret as Uint8Array).readAuthority;
    clients = await openMany(count, WAVE, async () => {
      const client = await LightClient.open(url);
      await client.hello({ incidentId: m.incidentId as string, writeAuthority: m.writeAuthority as Uint8Array, as: 'reader', key });
      await client.subscribe();
      return client;
    });
  } else {
    clients = await openMany(count, WAVE, async () => {
      const client = await LightClient.open(url);
      await client.next('caught-up');
      return client;
    });
  }
  clients.forEach((client, i) => {
    client.onData = (bytes) => {
      const t = absNow();
      const row = times[i];
      return (
        forEachOpSeq(bytes, (seq) => {
          if (row && seq >= firstSeq && seq <= lastSeq && row[seq] === 0) {
            row[seq] = t;
            received++;
          }
        }) >= 0
      );
    };
  });
}

serveRequests(parentPort!, async (m) => {
  switch (m.cmd) {
    case 'connect':
      await connect(m);
      return;
    case 'arm':
      firstSeq = m.firstSeq as number;
      lastSeq = m.lastSeq as number;
      received = 0;
      times = clients.map(() => new Float64Array(lastSeq + 1));
      return;
    case 'progress':
      return { reply: { received, expected: clients.length * (lastSeq - firstSeq + 1) } };
    case 'collect': {
      const out = times;
      times = [];
      return { reply: { times: out }, transfer: out.map((t) => t.buffer as ArrayBuffer) };
    }
    case 'close':
      await Promise.all(clients.map((client) => client.close()));
      clients = [];
      return;
    default:
      throw new Error(`fan-out clients: unknown command ${String(m.cmd)}`);
  }
});
