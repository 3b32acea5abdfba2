/** The main process's side of the port protocol, with a fake utility process (and once a real core). */
const { fork } = vi.hoisted(() => ({ fork: vi.fn() }));
vi.mock('electron', () => ({ utilityProcess: { fork } }));

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import type { ApiEvent } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { createCore } from '../../../electron/core/core';
import type { CoreToMainMessage, MainToCoreMessage } from '../../../electron/core/host/core-port-protocol';
import { serveCoreOverPort } from '../../../electron/core/host/serve-core-over-port';
import { createCoreClient, forkCoreProcess, type CoreClientOptions, type CoreProcess } from '../../../electron/main/core-client';
import { tempDir } from '../../support/temp-dir';

const DEVICE = '0123456789abcdef0123456789abcdef';
const KEY = new Uint8Array(32).fill(7);

/** A utility process whose core the test plays: it records what main posts and answers on demand. */
class FakeCoreProcess extends EventEmitter implements CoreProcess {
  readonly posted: MainToCoreMessage[] = [];
  killed = false;

  postMessage(message: MainToCoreMessage): void {
    this.posted.push(structuredClone(message));
  }

  kill(): boolean {
    this.killed = true;
    return true;
  }

  reply(message: CoreToMainMessage | Record<string, unknown>): void {
    this.emit('message', message);
  }

  exit(code: number): void {
    this.emit('exit', code);
  }

  invokes(): Extract<MainToCoreMessage, { type: 'invoke' }>[] {
    return this.posted.filter((m): m is Extract<MainToCoreMessage, { type: 'invoke' }> => m.type === 'invoke');
  }
}

function setUp(options: Partial<CoreClientOptions> = {}) {
  const processes: FakeCoreProcess[] = [];
  const onFatal = vi.fn();
  const client = createCoreClient({
    fork: () => {
      const process = new FakeCoreProcess();
      processes.push(process);
      return process;
    },
    dataDir: '/home/ic/.config/Sitrep',
    wrappingKey: KEY,
    onFatal,
    ...options,
  });
  const latest = () => processes.at(-1)!;
  return { client, processes, latest, onFatal };
}

async function started(options: Partial<CoreClientOptions> = {}) {
  const setup = setUp(options);
  const starting = setup.client.start();
  setup.latest().reply({ type: 'ready', deviceId: DEVICE });
  await starting;
  return setup;
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createCoreClient', () => {
  it('forks the core, sends open first (data folder and wrapping key), and resolves with the device id on ready', async () => {
    const { client, processes, latest } = setUp();
    const starting = client.start();
    expect(processes).toHaveLength(1);
    expect(latest().posted).toEqual([{ type: 'open', dataDir: '/home/ic/.config/Sitrep', wrappingKey: KEY }]);
    latest().reply({ type: 'ready', deviceId: DEVICE });
    await expect(starting).resolves.toBe(DEVICE);
  });

  it('holds calls made while the core starts and sends them once it is ready', async () => {
    const { client, latest } = setUp();
    void client.start();
    const call = client.invoke('device.get', {});
    await flush();
    expect(latest().invokes()).toEqual([]);
    latest().reply({ type: 'ready', deviceId: DEVICE });
    await flush();
    const [sent] = latest().invokes();
    expect(sent).toEqual({ type: 'invoke', id: expect.any(Number), method: 'device.get', args: {} });
    latest().reply({ type: 'result', id: sent.id, ok: true, value: { deviceId: DEVICE, name: 'War room' } });
    await expect(call).resolves.toEqual({ deviceId: DEVICE, name: 'War room' });
  });

  it('correlates concurrent invokes answered out of order', async () => {
    const { client, latest } = await started();
    const calls = [
      client.invoke('incidents.list', {}),
      client.invoke('device.get', {}),
      client.invoke('playbook.getActive', {}),
      client.invoke('incidents.get', { incidentId: '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b' }),
    ];
    await flush();
    const sent = latest().invokes();
    expect(sent.map((m) => m.method)).toEqual(['incidents.list', 'device.get', 'playbook.getActive', 'incidents.get']);
    expect(new Set(sent.map((m) => m.id)).size).toBe(4);

    for (const index of [2, 0, 3, 1]) {
      const { id, method } = sent[index];
      if (method === 'incidents.get') {
        latest().reply({ type: 'result', id, ok: false, error: { code: 'not-found', message: 'no such incident', details: ['incidentId'] } });
      } else {
        latest().reply({ type: 'result', id, ok: true, value: `answer to ${method}` });
      }
    }
    const settled = await Promise.allSettled(calls);
    expect(settled.slice(0, 3)).toEqual([
      { status: 'fulfilled', value: 'answer to incidents.list' },
      { status: 'fulfilled', value: 'answer to device.get' },
      { status: 'fulfilled', value: 'answer to playbook.getActive' },
    ]);
    const failure = (settled[3] as PromiseRejectedResult).reason;
    expect(failure).toBeInstanceOf(SitrepError);
    expect(failure).toMatchObject({ code: 'not-found', message: 'no such incident', details: ['incidentId'] });
  });

  it('ignores a result for an id nobody is waiting for, and a message that is not in the protocol', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { client, latest } = await started();
    const call = client.invoke('device.get', {});
    await flush();
    latest().reply({ type: 'result', id: 999, ok: true, value: 'stray' });
    latest().reply({ type: 'result', id: latest().invokes()[0].id, ok: 'yes' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('invalid message from the core ignored'));
    latest().reply({ type: 'result', id: latest().invokes()[0].id, ok: true, value: 'real' });
    await expect(call).resolves.toBe('real');
    log.mockRestore();
  });

  it('forwards events to subscribers until they unsubscribe', async () => {
    const { client, latest } = await started();
    const events: ApiEvent[] = [];
    const unsubscribe = client.subscribe((event) => events.push(event));
    latest().reply({ type: 'event', event: { type: 'incidents-changed' } });
    unsubscribe();
    latest().reply({ type: 'event', event: { type: 'playbook-changed' } });
    expect(events).toEqual([{ type: 'incidents-changed' }]);
  });

  it('reports a core that cannot open as fatal: start rejects, later calls too, the process is killed', async () => {
    const { client, latest, onFatal } = setUp();
    const starting = client.start();
    latest().reply({ type: 'fatal', error: { code: 'already-in-use', message: 'the folder is already in use', details: [] } });
    await expect(starting).rejects.toMatchObject({ code: 'already-in-use' });
    expect(onFatal).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ code: 'already-in-use' }));
    expect(latest().killed).toBe(true);
    await expect(client.invoke('device.get', {})).rejects.toMatchObject({ code: 'already-in-use' });
  });

  it('does not restart a core that exits while starting', async () => {
    const { client, processes, latest, onFatal } = setUp();
    const starting = client.start();
    latest().exit(1);
    await expect(starting).rejects.toThrow(/exited unexpectedly \(code 1\)/);
    expect(processes).toHaveLength(1);
    expect(onFatal).toHaveBeenCalledOnce();
  });

  it('restarts a core that crashes, rejecting the calls in flight and telling views to ask again', async () => {
    const { client, processes, latest, onFatal } = await started();
    const events: ApiEvent[] = [];
    client.subscribe((event) => events.push(event));
    const inFlight = client.invoke('timeline.add', { incidentId: '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b', text: 'rolled back' });
    await flush();
    latest().exit(139);
    await expect(inFlight).rejects.toThrow(/exited unexpectedly \(code 139\); a call in progress may or may not have been applied/);

    expect(processes).toHaveLength(2);
    expect(latest().posted[0]).toEqual({ type: 'open', dataDir: '/home/ic/.config/Sitrep', wrappingKey: KEY });
    const afterRestart = client.invoke('device.get', {});
    latest().reply({ type: 'ready', deviceId: DEVICE });
    await flush();
    expect(events).toEqual([{ type: 'incidents-changed' }, { type: 'playbook-changed' }]);
    latest().reply({ type: 'result', id: latest().invokes()[0].id, ok: true, value: 'fine' });
    await expect(afterRestart).resolves.toBe('fine');
    expect(onFatal).not.toHaveBeenCalled();
  });

  it('keeps waiting calls across a restart that itself crashes while starting', async () => {
    const { client, processes, latest } = await started();
    latest().exit(1);
    const waiting = client.invoke('device.get', {});
    latest().exit(1);
    expect(processes).toHaveLength(3);
    latest().reply({ type: 'ready', deviceId: DEVICE });
    await flush();
    latest().reply({ type: 'result', id: latest().invokes()[0].id, ok: true, value: 'third time' });
    await expect(waiting).resolves.toBe('third time');
  });

  it('gives up after maxRestarts crashes within the window', async () => {
    let now = 0;
    const { client, processes, latest, onFatal } = await started({ maxRestarts: 2, restartWindowMs: 60_000, now: () => now });
    for (let crash = 0; crash < 2; crash++) {
      latest().exit(1);
      latest().reply({ type: 'ready', deviceId: DEVICE });
      now += 1_000;
    }
    latest().exit(1);
    expect(processes).toHaveLength(3);
    expect(onFatal).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ message: expect.stringMatching(/restarted 2 times within 60 s, giving up/) }));
    await expect(client.invoke('device.get', {})).rejects.toThrow(/giving up/);
  });

  it('restarts again once earlier crashes are outside the window', async () => {
    let now = 0;
    const { processes, latest, onFatal } = await started({ maxRestarts: 1, restartWindowMs: 10_000, now: () => now });
    latest().exit(1);
    latest().reply({ type: 'ready', deviceId: DEVICE });
    now += 20_000;
    latest().exit(1);
    expect(processes).toHaveLength(3);
    expect(onFatal).not.toHaveBeenCalled();
  });

  it('closes: sends close, answers what was in flight, waits for the exit, then refuses calls', async () => {
    const { client, latest } = await started();
    const inFlight = client.invoke('device.get', {});
    await flush();
    const closing = client.close();
    expect(latest().posted.at(-1)).toEqual({ type: 'close' });
    latest().reply({ type: 'result', id: latest().invokes()[0].id, ok: true, value: 'answered' });
    await expect(inFlight).resolves.toBe('answered');
    latest().exit(0);
    await closing;
    expect(latest().killed).toBe(false);
    await expect(client.invoke('device.get', {})).rejects.toThrow('the core is closed');
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('kills a core that does not exit within closeTimeoutMs', async () => {
    const { client, latest } = await started({ closeTimeoutMs: 20 });
    await client.close();
    expect(latest().killed).toBe(true);
  });

  it('refuses calls before start', async () => {
    const { client } = setUp();
    await expect(client.invoke('device.get', {})).rejects.toThrow('the core is not started');
  });

  it('forkCoreProcess starts the entry in an Electron utility process', () => {
    const process = new FakeCoreProcess();
    fork.mockReturnValueOnce(process);
    expect(forkCoreProcess('/app/out/main/utility-process-entry.js')).toBe(process);
    expect(fork).toHaveBeenCalledWith('/app/out/main/utility-process-entry.js', [], expect.objectContaining({ serviceName: 'Sitrep core' }));
  });
});

describe('createCoreClient with a real core behind a MessageChannel', () => {
  /** What the utility process does, in this process: serveCoreOverPort on one end of a channel. */
  function inProcessCore(): CoreProcess {
    const { port1, port2 } = new MessageChannel();
    const events = new EventEmitter();
    serveCoreOverPort(port1, (dataDir, keyProtector) => createCore({ dataDir, keyProtector }), {
      onClosed: () => {
        port1.close();
        events.emit('exit', 0);
      },
    });
    port2.on('message', (message) => events.emit('message', message));
    return {
      postMessage: (message) => port2.postMessage(message),
      on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
      kill: () => {
        port2.close();
        return true;
      },
    } as CoreProcess;
  }

  it('round-trips calls, typed errors and events end to end', async () => {
    const client = createCoreClient({ fork: inProcessCore, dataDir: tempDir(), wrappingKey: new Uint8Array(randomBytes(32)) });
    const deviceId = await client.start();
    const events: ApiEvent[] = [];
    client.subscribe((event) => events.push(event));

    await expect(client.invoke('device.get', {})).resolves.toMatchObject({ deviceId });
    const { incidentId } = await client.invoke('incidents.declare', { title: 'Payments API 5xx', severity: 'P1' });
    expect(events).toEqual(expect.arrayContaining([{ type: 'incident-changed', incidentId }]));
    await expect(client.invoke('incidents.list', {})).resolves.toEqual([expect.objectContaining({ id: incidentId, title: 'Payments API 5xx' })]);

    const error = await client.invoke('incidents.declare', { title: '', severity: 'P1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SitrepError);
    expect(error).toMatchObject({ code: 'invalid-argument', details: [expect.stringMatching(/^title: /)] });

    await client.close();
  });
});
