/**
 * Real servers on 127.0.0.1 for metric source tests: a plain HTTP server whose answer the test
 * changes (a health check that goes down and comes back, a /metrics endpoint), and a real Prometheus
 * (Debian's /usr/bin/prometheus) scraping it. Each is stopped by the test file that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Core } from '../../electron/core/core';
import { nodeCrypto } from '../../electron/crypto';
import { decodePayload, type OpPayload } from '../../shared/model/op-payload';
import { writerKeys } from '../../shared/sync/incident-keys';
import { decodeOp, openOpPayload } from '../../shared/sync/op-envelope';
import { opsOf } from './cores';
import { tempDir } from './temp-dir';

export interface Answer {
  status: number;
  body: string;
  contentType?: string;
  /** Answers only after this long (a source that times out). */
  delayMs?: number;
}

export interface TestHttpServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** What every request is answered with from now on; null closes the connection unanswered. */
  answer: Answer | null;
  /** The Authorization headers seen, in order. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startHttpServer(answer: Answer): Promise<TestHttpServer> {
  const server = http.createServer((req, res) => {
    state.authorizations.push(req.headers.authorization ?? '');
    if (!state.answer) {
      req.socket.destroy();
      return;
    }
    const { status, body, contentType, delayMs } = state.answer;
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': contentType ?? 'application/json' });
      res.end(body);
    };
    if (delayMs) setTimeout(send, delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: TestHttpServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    answer,
    authorizations: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}

/** A port nothing listens on (bound, read and released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every op payload a core holds of an incident, decrypted with its write secret. */
export function opPayloads(core: Core, incidentId: string): OpPayload[] {
  const secret = core.context.keys.incidentSecret(incidentId);
  if (!secret) throw new Error('no key');
  const contentKey = writerKeys(nodeCrypto, secret.secret).contentKey;
  return opsOf(core, incidentId).flatMap((bytes) => {
    const decoded = decodeOp(bytes);
    if (decoded.header.type !== 'op') return [];
    const understood = decodePayload(openOpPayload(nodeCrypto, decoded, contentKey));
    return understood.known ? [understood.payload] : [];
  });
}

export const PROMETHEUS = '/usr/bin/prometheus';
/** The first scrape lands a few seconds after start; allow for a slow shared machine. */
const PROMETHEUS_READY_MS = 60_000;

export interface TestPrometheus {
  origin: string;
  stop(): Promise<void>;
}

/** A real Prometheus scraping `target` (host:port, path /metrics) every second, ready once `readyQuery` answers a sample. */
export async function startPrometheus(target: string, readyQuery: string): Promise<TestPrometheus> {
  const dir = tempDir('sitrep-prometheus-');
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: app', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
  );
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
        const answer = (await (await fetch(`${origin}/api/v1/query?query=${encodeURIComponent(readyQuery)}`)).json()) as { data?: { result?: unknown[] } };
        if (!answer.data?.result?.length) throw new Error('no sample yet');
      },
      { timeout: PROMETHEUS_READY_MS, interval: 250 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, stop };
}
