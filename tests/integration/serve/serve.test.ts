import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createCore } from '../../../electron/core/core';
import { isLoopbackAddress } from '../../../electron/serve/request-guard';
import { startServe, type RunningServe } from '../../../electron/serve/server';
import type { ServerFrame } from '../../../shared/api-socket-protocol';
import { exited, readLines, spawnTs } from '../../support/child-process';
import { tempDir } from '../../support/temp-dir';

const FIXTURE_UI = fileURLToPath(new URL('./fixtures/renderer', import.meta.url));
const running: RunningServe[] = [];

async function serve(options: { testClock?: boolean; host?: string } = {}): Promise<RunningServe> {
  const s = await startServe({ dataDir: tempDir(), rendererDir: FIXTURE_UI, port: 0, testClock: options.testClock ?? false, host: options.host });
  running.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const origin = (s: RunningServe) => `http://127.0.0.1:${s.port}`;

/** Exchanges a URL's token for the session cookie, as a browser's first request does. */
async function signIn(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect(res.headers.get('location')).not.toContain('token');
  return cookie.split(';')[0];
}

interface ApiClient {
  hello: ServerFrame & { type: 'hello' };
  call(frame: Record<string, unknown>): Promise<ServerFrame & { type: 'result' }>;
  events: ServerFrame[];
  close(): void;
}

function connect(s: RunningServe, headers: Record<string, string>): Promise<ApiClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api`, { headers });
    const waiting = new Map<number, (f: ServerFrame & { type: 'result' }) => void>();
    const events: ServerFrame[] = [];
    let nextId = 1;
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'hello') {
        resolve({
          hello: frame,
          events,
          close: () => ws.close(),
          call: (f) =>
            new Promise((done) => {
              const id = nextId++;
              waiting.set(id, done);
              ws.send(JSON.stringify({ ...f, id }));
            }),
        });
      } else if (frame.type === 'event') events.push(frame);
      else waiting.get(frame.id)?.(frame);
    });
  });
}

describe('browser mode: sessions and requests', () => {
  it('needs the printed token once, then a cookie, for every page', async () => {
    const s = await serve();
    expect((await fetch(`${origin(s)}/`)).status).toBe(401);
    expect((await fetch(`${origin(s)}/?token=not-the-token`, { redirect: 'manual' })).status).toBe(401);
    const cookie = await signIn(s.writeUrl);
    const page = await fetch(`${origin(s)}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sitrep test UI');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Paths outside the UI folder are never served.
    const escape = await fetch(`${origin(s)}/..%2f..%2fpackage.json`, { headers: { cookie } });
    expect(await escape.text()).not.toContain('"name": "sitrep"');
  });

  it('refuses a Host it does not serve (DNS rebinding)', async () => {
    const s = await serve();
    const cookie = await signIn(s.writeUrl);
    // fetch cannot set Host, so this request is made by hand, as a rebinding page's would arrive.
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: s.port, path: '/', headers: { cookie, host: `evil.example:${s.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(421);
  });
});

describe('browser mode: the api WebSocket', () => {
  it('refuses a socket without the cookie or from another origin', async () => {
    const s = await serve();
    const cookie = await signIn(s.writeUrl);
    await expect(connect(s, { origin: origin(s) })).rejects.toThrow('refused 401');
    await expect(connect(s, { origin: 'http://evil.example', cookie })).rejects.toThrow('refused 403');
  });

  it('answers api calls, typed errors and pushes events to a write session', async () => {
    const s = await serve();
    const client = await connect(s, { origin: origin(s), cookie: await signIn(s.writeUrl) });
    expect(client.hello).toMatchObject({ access: 'write', testClock: false });
    const device = await client.call({ type: 'invoke', method: 'device.get', args: {} });
    expect(device).toMatchObject({ ok: true, value: { deviceId: s.core.deviceId } });
    const invalid = await client.call({ type: 'invoke', method: 'incidents.declare', args: { severity: 'P9' } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const declared = await client.call({ type: 'invoke', method: 'incidents.declare', args: { title: 'From the browser', severity: 'P2' } });
    expect(declared.ok).toBe(true);
    await expect.poll(() => client.events.length).toBeGreaterThan(0);
    expect(client.events).toContainEqual({ type: 'event', event: { type: 'incidents-changed' } });
    client.close();
  });

  it('gives the read URL a view that can read and not write', async () => {
    const s = await serve();
    s.core.call('incidents.declare', { title: 'Visible on the wall', severity: 'P1' });
    expect(s.readUrl).toContain('#/wall');
    const client = await connect(s, { origin: origin(s), cookie: await signIn(s.readUrl.split('#')[0]) });
    expect(client.hello.access).toBe('read');
    const list = await client.call({ type: 'invoke', method: 'incidents.list', args: {} });
    expect(list).toMatchObject({ ok: true, value: [{ title: 'Visible on the wall' }] });
    const write = await client.call({ type: 'invoke', method: 'incidents.declare', args: { title: 'Nope', severity: 'P1' } });
    expect(write).toMatchObject({ ok: false, error: { code: 'read-only' } });
    expect(s.core.call('incidents.list', {})).toHaveLength(1);
    client.close();
  });

  it('sets the core clock only with --test-clock and its token', async () => {
    const plain = await serve();
    const a = await connect(plain, { origin: origin(plain), cookie: await signIn(plain.writeUrl) });
    expect(await a.call({ type: 'set-clock', now: 1_000, token: 'x' })).toMatchObject({ ok: false, error: { code: 'read-only' } });
    a.close();

    const s = await serve({ testClock: true });
    const b = await connect(s, { origin: origin(s), cookie: await signIn(s.writeUrl) });
    expect(b.hello.testClock).toBe(true);
    expect(await b.call({ type: 'set-clock', now: 1_000, token: 'wrong' })).toMatchObject({ ok: false });
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(await b.call({ type: 'set-clock', now: at, token: s.testClockToken })).toMatchObject({ ok: true });
    s.core.call('incidents.declare', { title: 'On the test clock', severity: 'P3' });
    expect(s.core.call('incidents.list', {})[0].declaredAt).toBe(at);
    b.close();
  });
});

describe('browser mode beyond loopback', () => {
  it('warns that plain HTTP is unencrypted and serves writes only to this machine', async () => {
    const s = await serve({ host: '0.0.0.0' });
    expect(s.warnings.join(' ')).toMatch(/unencrypted/);
    expect(s.writeUrl.startsWith(`http://127.0.0.1:${s.port}/`)).toBe(true);
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('192.168.1.20')).toBe(false);
  });
});

describe('sitrep serve as a process', () => {
  it('prints a tokened URL and closes the store cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = spawnTs('electron/cli/main.ts', ['serve', '--data-dir', dataDir, '--read-only']);
    const lines = await readLines(child, (line) => line.startsWith('Ctrl+C'), 120_000);
    const open = lines.find((l) => l.includes('open: '));
    expect(open).toMatch(/open: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}/);
    expect(lines.some((l) => l.includes('wall display (read only): '))).toBe(true);
    child.kill('SIGTERM');
    await exited(child);
    expect(child.exitCode).toBe(0);
    // Closed cleanly: the WAL was checkpointed away and the writer lock is free.
    expect(fs.existsSync(path.join(dataDir, 'sitrep.db-wal'))).toBe(false);
    createCore({ dataDir }).close();
  });
});
