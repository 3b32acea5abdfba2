/**
 * One "now" for a browser-mode console and the pages that show it (DESIGN.md §3, §9): the core's
 * clock moves through the `set-clock` frame of a console started with `testClock`, sent over its
 * own api WebSocket signed in like a browser (the write URL's token exchanged for the session
 * cookie); the pages' clocks move with Playwright's page clock, pinned to the same instant.
 *
 * Invariants: the core and every page given read the same instant after each call; time only ever
 * moves forward; every socket opened here is closed when the test file ends.
 */
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import type { RunningServe } from '../../electron/serve/server';
import { API_SOCKET_PATH, type ServerFrame } from '../../shared/api-socket-protocol';

type ResultFrame = Extract<ServerFrame, { type: 'result' }>;

interface ClockConnection {
  /** The instant last set; null before the first. */
  now: number | null;
  send(now: number): Promise<ResultFrame>;
  close(): void;
}

const connections = new Map<RunningServe, Promise<ClockConnection>>();

/** Exchanges a printed URL's token for the session cookie ("name=value"), as a browser's first request does. */
export async function sessionCookieFor(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 302 || !cookie) throw new Error(`signing in with ${new URL(url).origin} failed: HTTP ${response.status}`);
  return cookie.split(';')[0];
}

async function connect(serve: RunningServe): Promise<ClockConnection> {
  if (!serve.testClockToken) throw new Error('this console was started without testClock: startConsole({ testClock: true })');
  const token = serve.testClockToken;
  const origin = `http://127.0.0.1:${serve.port}`;
  const cookie = await sessionCookieFor(serve.writeUrl);
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}${API_SOCKET_PATH}`, { headers: { origin, cookie } });
  const waiting = new Map<number, (frame: ResultFrame) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`the api WebSocket refused the test clock: HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'hello') {
        if (!frame.testClock) reject(new Error('the console says it has no test clock'));
        else resolve();
      } else if (frame.type === 'result') {
        waiting.get(frame.id)?.(frame);
        waiting.delete(frame.id);
      }
    });
  });
  return {
    now: null,
    send: (now) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'set-clock', id, now, token }), (error) => error && reject(error));
      }),
    close: () => ws.close(),
  };
}

function connectionOf(serve: RunningServe): Promise<ClockConnection> {
  let connection = connections.get(serve);
  if (!connection) {
    connection = connect(serve);
    connections.set(serve, connection);
  }
  return connection;
}

const asList = (pages: Page | readonly Page[]): readonly Page[] => (Array.isArray(pages) ? pages : [pages as Page]);

/**
 * Sets the core's clock and pins each page's clock to `now` (UTC ms). A page must have had
 * `page.clock.install()` before it navigated (openConsole's `clockAt` does that).
 */
export async function setTime(serve: RunningServe, pages: Page | readonly Page[], now: number): Promise<void> {
  const connection = await connectionOf(serve);
  if (connection.now !== null && now < connection.now) throw new Error(`time moves forward only: ${new Date(now).toISOString()} is before ${new Date(connection.now).toISOString()}`);
  const answer = await connection.send(now);
  if (!answer.ok) throw new Error(`set-clock was refused: ${answer.error.code} ${answer.error.message}`);
  connection.now = now;
  for (const page of asList(pages)) await page.clock.setFixedTime(now);
}

/** Moves the core and the pages forward by `ms` from the instant last set; returns the new instant. */
export async function moveTime(serve: RunningServe, pages: Page | readonly Page[], ms: number): Promise<number> {
  const connection = await connectionOf(serve);
  if (connection.now === null) throw new Error('setTime first: moveTime moves from the instant last set');
  const now = connection.now + ms;
  await setTime(serve, pages, now);
  return now;
}

afterAll(async () => {
  const open = [...connections.values()];
  connections.clear();
  for (const connection of await Promise.allSettled(open)) if (connection.status === 'fulfilled') connection.value.close();
});
