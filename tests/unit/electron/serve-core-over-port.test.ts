/**
 * The core's side of the port protocol, over a real worker_threads MessageChannel, with a real core
 * on a temporary folder: what the utility process does, without Electron.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createCore } from '../../../electron/core/core';
import type { CoreToMainMessage, MainToCoreMessage } from '../../../electron/core/host/core-port-protocol';
import { serveCoreOverPort, type OpenCore } from '../../../electron/core/host/serve-core-over-port';
import { wrappingKeyProtector } from '../../../electron/core/host/wrapping-key-protector';
import { KEY_STORE_FILE } from '../../../electron/core/key-store';
import { tempDir } from '../../support/temp-dir';

const WAIT_MS = 10_000;
const INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b';

/** The main process's end of the channel: sends messages and takes what the core posts, in order. */
class MainEnd {
  private readonly inbox: CoreToMainMessage[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: CoreToMainMessage) => {
      this.inbox.push(message);
      this.wake?.();
    });
  }

  send(message: MainToCoreMessage | Record<string, unknown>): void {
    this.port.postMessage(message);
  }

  /** The next message the core posted. */
  async take(): Promise<CoreToMainMessage> {
    const deadline = Date.now() + WAIT_MS;
    while (this.inbox.length === 0) {
      if (Date.now() > deadline) throw new Error('the core posted nothing');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.inbox.shift()!;
  }

  /** Messages until (and including) the result of invoke `id`. */
  async untilResult(id: number): Promise<CoreToMainMessage[]> {
    const taken: CoreToMainMessage[] = [];
    for (;;) {
      const message = await this.take();
      taken.push(message);
      if (message.type === 'result' && message.id === id) return taken;
    }
  }

  async invoke(id: number, method: string, args: unknown): Promise<Extract<CoreToMainMessage, { type: 'result' }>> {
    this.send({ type: 'invoke', id, method, args });
    return (await this.untilResult(id)).at(-1) as Extract<CoreToMainMessage, { type: 'result' }>;
  }
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

const realCore: OpenCore = (dataDir, keyProtector) => createCore({ dataDir, keyProtector });

function serve(openCore: OpenCore = realCore) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const closed = vi.fn();
  const protocolErrors: string[] = [];
  serveCoreOverPort(port1, openCore, { onClosed: closed, onProtocolError: (problem) => protocolErrors.push(problem) });
  return { main: new MainEnd(port2), closed, protocolErrors };
}

async function openServed(dataDir = tempDir(), wrappingKey = new Uint8Array(randomBytes(32))) {
  const served = serve();
  served.main.send({ type: 'open', dataDir, wrappingKey });
  const ready = await served.main.take();
  return { ...served, ready, dataDir, wrappingKey };
}

describe('serveCoreOverPort', () => {
  it('opens the core and answers ready with its device id, then serves invokes', async () => {
    const { main, ready } = await openServed();
    expect(ready).toEqual({ type: 'ready', deviceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const deviceId = (ready as { deviceId: string }).deviceId;

    const result = await main.invoke(1, 'device.get', {});
    expect(result).toEqual({ type: 'result', id: 1, ok: true, value: { deviceId, name: expect.any(String) } });
    main.send({ type: 'close' });
  });

  it('seals the key store with the wrapping key: keys.json is not readable without it', async () => {
    const { main, dataDir, wrappingKey } = await openServed();
    const sealed = fs.readFileSync(path.join(dataDir, KEY_STORE_FILE));
    expect(() => JSON.parse(sealed.toString('utf8'))).toThrow();
    const json = JSON.parse(new TextDecoder().decode(wrappingKeyProtector(wrappingKey).unseal(sealed)));
    expect(json.format).toBe(1);
    main.send({ type: 'close' });
  });

  it('sends a failed call back as a typed error with its code and details', async () => {
    const { main } = await openServed();
    const notFound = await main.invoke(2, 'incidents.get', { incidentId: INCIDENT });
    expect(notFound).toMatchObject({ id: 2, ok: false, error: { code: 'not-found' } });

    const invalid = await main.invoke(3, 'incidents.declare', { title: '', severity: 'P9' });
    expect(invalid.ok).toBe(false);
    if (invalid.ok) return;
    expect(invalid.error.code).toBe('invalid-argument');
    expect(invalid.error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^title: /), expect.stringMatching(/^severity: /)]));
    main.send({ type: 'close' });
  });

  it("pushes the core's events, posted before the result of the write that caused them", async () => {
    const { main } = await openServed();
    main.send({ type: 'invoke', id: 4, method: 'incidents.declare', args: { title: 'Checkout returns 502', severity: 'P1' } });
    const messages = await main.untilResult(4);
    const result = messages.at(-1)!;
    expect(result).toMatchObject({ type: 'result', id: 4, ok: true, value: { incidentId: expect.any(String) } });
    const incidentId = (result as { value: { incidentId: string } }).value.incidentId;
    expect(messages.slice(0, -1)).toEqual(
      expect.arrayContaining([
        { type: 'event', event: { type: 'incidents-changed' } },
        { type: 'event', event: { type: 'incident-changed', incidentId } },
      ]),
    );
    main.send({ type: 'close' });
  });

  it('answers concurrent invokes each with its own id', async () => {
    const { main } = await openServed();
    for (const id of [10, 11, 12]) main.send({ type: 'invoke', id, method: 'device.get', args: {} });
    main.send({ type: 'invoke', id: 13, method: 'incidents.list', args: {} });
    const messages = await main.untilResult(13);
    expect(messages.map((m) => (m.type === 'result' ? [m.id, m.ok] : m.type))).toEqual([
      [10, true],
      [11, true],
      [12, true],
      [13, true],
    ]);
    main.send({ type: 'close' });
  });

  it('answers an invoke before open with an error, not silence', async () => {
    const { main } = serve();
    expect(await main.invoke(1, 'device.get', {})).toEqual({
      type: 'result',
      id: 1,
      ok: false,
      error: { code: 'internal', message: 'the core is not open yet', details: [] },
    });
  });

  it('refuses an invoke of an unknown method with invalid-argument, without reaching the core', async () => {
    const openCore = vi.fn(realCore);
    const { main } = serve(openCore);
    main.send({ type: 'open', dataDir: tempDir(), wrappingKey: new Uint8Array(randomBytes(32)) });
    await main.take();
    const invoke = vi.spyOn(openCore.mock.results[0].value as { invoke: () => unknown }, 'invoke');
    const result = await main.invoke(5, 'fs.readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('not an api method') } });
    expect(invoke).not.toHaveBeenCalled();
    main.send({ type: 'close' });
  });

  it('reports a message it cannot answer as a protocol error', async () => {
    const { main, protocolErrors } = serve();
    main.send({ type: 'open', dataDir: tempDir(), wrappingKey: new Uint8Array(8) });
    main.send({ type: 'format-disk' });
    const result = await main.invoke(1, 'device.get', {});
    expect(result.ok).toBe(false);
    expect(protocolErrors).toEqual([expect.stringContaining('wrapping key is 32 bytes'), expect.stringContaining('invalid message refused')]);
  });

  it('reports a core that cannot open as fatal, keeping the error code', async () => {
    const dataDir = tempDir();
    const first = await openServed(dataDir);
    const second = serve();
    second.main.send({ type: 'open', dataDir, wrappingKey: new Uint8Array(randomBytes(32)) });
    expect(await second.main.take()).toMatchObject({ type: 'fatal', error: { code: 'already-in-use' } });

    first.main.send({ type: 'close' });
    await vi.waitFor(() => expect(first.closed).toHaveBeenCalled());
    const otherKey = serve();
    otherKey.main.send({ type: 'open', dataDir, wrappingKey: new Uint8Array(randomBytes(32)) });
    expect(await otherKey.main.take()).toMatchObject({ type: 'fatal', error: { code: 'key-store-unreadable' } });
  });

  it('closes the core on close (releasing the writer lock) and refuses later invokes', async () => {
    const { main, closed, dataDir, wrappingKey } = await openServed();
    main.send({ type: 'close' });
    await vi.waitFor(() => expect(closed).toHaveBeenCalledOnce());
    expect(await main.invoke(6, 'device.get', {})).toMatchObject({ ok: false, error: { message: 'the core is closed' } });

    const reopened = await openServed(dataDir, wrappingKey);
    expect(reopened.ready).toEqual({ type: 'ready', deviceId: expect.any(String) });
    reopened.main.send({ type: 'close' });
  });
});
