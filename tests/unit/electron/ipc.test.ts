/** The IPC adapter: who may call, what may be called, and what comes back. */
vi.mock('electron', () => ({ BrowserWindow: { getAllWindows: () => [] } }));

import type { ApiEvent } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from '../../../electron/main/ipc-channels';
import { registerIpc, trustedSenderOf, type IpcCore, type SenderEvent } from '../../../electron/main/ipc';

const APP_URL = 'file:///opt/Sitrep/resources/app.asar/out/renderer/index.html';
const DEV_URL = 'http://localhost:5173/';
const CONSOLE_ID = 1;
const WALL_ID = 2;

type Handler = (event: SenderEvent, ...args: unknown[]) => Promise<InvokeReply>;

function senderEvent(url: string, contentsId = CONSOLE_ID, options: { topFrame?: boolean } = {}): SenderEvent {
  const parent = options.topFrame === false ? { url: APP_URL } : null;
  return { senderFrame: { url, parent }, sender: { id: contentsId } } as unknown as SenderEvent;
}

function setUp(invoke: IpcCore['invoke'] = vi.fn(async () => ({ deviceId: 'abc', name: 'War room' }) as never)) {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const eventListeners = new Set<(event: ApiEvent) => void>();
  const core = {
    invoke: vi.fn(invoke),
    subscribe: vi.fn((listener: (event: ApiEvent) => void) => {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    }),
  };
  const renderer = { send: vi.fn(), isDestroyed: () => false };
  const closedRenderer = { send: vi.fn(), isDestroyed: () => true };
  const dispose = registerIpc(ipcMain as never, core as unknown as IpcCore, {
    isTrustedSender: trustedSenderOf(APP_URL),
    isWallSender: (event) => event.sender.id === WALL_ID,
    renderers: () => [renderer, closedRenderer],
  });
  const call = (event: SenderEvent, ...args: unknown[]) => {
    const handler = handlers.get(INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler');
    return handler(event, ...args);
  };
  const emit = (event: ApiEvent) => eventListeners.forEach((listener) => listener(event));
  return { ipcMain, core, renderer, closedRenderer, dispose, call, emit, handlers, eventListeners };
}

describe('registerIpc', () => {
  it('registers the one invoke channel', () => {
    const { ipcMain } = setUp();
    expect(ipcMain.handle).toHaveBeenCalledOnce();
    expect(ipcMain.handle).toHaveBeenCalledWith('sitrep:invoke', expect.any(Function));
  });

  it('forwards a valid call from the console to the core and returns its value', async () => {
    const { call, core } = setUp();
    await expect(call(senderEvent(`${APP_URL}#/incidents`), 'device.get', {})).resolves.toEqual({
      ok: true,
      value: { deviceId: 'abc', name: 'War room' },
    });
    expect(core.invoke).toHaveBeenCalledExactlyOnceWith('device.get', {});
  });

  it("returns the core's typed error as a SerializedError, code and details kept", async () => {
    const { call } = setUp(async () => {
      throw new SitrepError('invalid-argument', 'incidents.declare: title: required', ['title: required']);
    });
    await expect(call(senderEvent(APP_URL), 'incidents.declare', { title: '' })).resolves.toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: 'incidents.declare: title: required', details: ['title: required'] },
    });
  });

  it('turns an unexpected failure into an internal error', async () => {
    const { call } = setUp(async () => {
      throw new TypeError('boom');
    });
    await expect(call(senderEvent(APP_URL), 'incidents.list', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom', details: [] },
    });
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a look-alike host', 'http://localhost.evil.com/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['an unparsable URL', 'not a url'],
    ['an empty URL', ''],
  ])('refuses a call from %s, reaching nothing', async (_what, url) => {
    const { call, core } = setUp();
    await expect(call(senderEvent(url), 'device.get', {})).rejects.toThrow(/may not call the Sitrep api/);
    expect(core.invoke).not.toHaveBeenCalled();
  });

  it('refuses a call from a subframe, even of the app, and from a frame that is gone', async () => {
    const { call, core } = setUp();
    await expect(call(senderEvent(APP_URL, CONSOLE_ID, { topFrame: false }), 'device.get', {})).rejects.toThrow(/may not call/);
    await expect(call({ senderFrame: null, sender: { id: CONSOLE_ID } } as unknown as SenderEvent, 'device.get', {})).rejects.toThrow(
      /may not call/,
    );
    expect(core.invoke).not.toHaveBeenCalled();
  });

  it('accepts the dev server by origin and refuses look-alikes of it', () => {
    const trusted = trustedSenderOf(DEV_URL);
    expect(trusted(senderEvent('http://localhost:5173/#/wall'))).toBe(true);
    expect(trusted(senderEvent('http://localhost.evil.com:5173/'))).toBe(false);
    expect(trusted(senderEvent('http://localhost:5173.evil.com/'))).toBe(false);
    expect(trusted(senderEvent('http://127.0.0.1:5173/'))).toBe(false);
  });

  it.each([['fs.readFile'], ['__proto__'], ['constructor'], [42], [undefined]])('refuses the unknown method %s', async (method) => {
    const { call, core } = setUp();
    const reply = await call(senderEvent(APP_URL), method, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('unknown method') } });
    expect(core.invoke).not.toHaveBeenCalled();
  });

  it.each([
    ['a string', 'title=x'],
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ title: 'x' }]],
    ['a number', 7],
    ['a date', new Date(0)],
  ])('refuses %s as arguments', async (_what, args) => {
    const { call, core } = setUp();
    const reply = await call(senderEvent(APP_URL), 'incidents.list', args);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'incidents.list: the arguments must be an object' } });
    expect(core.invoke).not.toHaveBeenCalled();
  });

  it('lets the wall display read', async () => {
    const { call, core } = setUp(async () => [] as never);
    await expect(call(senderEvent(`${APP_URL}#/wall`, WALL_ID), 'incidents.list', {})).resolves.toEqual({ ok: true, value: [] });
    expect(core.invoke).toHaveBeenCalledWith('incidents.list', {});
  });

  it('refuses a write from the wall display as read-only, whatever route its page shows', async () => {
    const { call, core } = setUp();
    for (const url of [`${APP_URL}#/wall`, `${APP_URL}#/incidents`]) {
      const reply = await call(senderEvent(url, WALL_ID), 'incidents.declare', { title: 'x', severity: 'P1' });
      expect(reply).toEqual({ ok: false, error: { code: 'read-only', message: 'incidents.declare: the wall display is read-only', details: [] } });
    }
    expect(core.invoke).not.toHaveBeenCalled();
  });

  it("forwards the core's events to every live renderer on sitrep:event", () => {
    const { emit, renderer, closedRenderer } = setUp();
    emit({ type: 'incident-changed', incidentId: '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b' });
    expect(renderer.send).toHaveBeenCalledExactlyOnceWith(EVENT_CHANNEL, {
      type: 'incident-changed',
      incidentId: '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b',
    });
    expect(closedRenderer.send).not.toHaveBeenCalled();
  });

  it('undoes both the handler and the subscription when disposed', () => {
    const { dispose, handlers, eventListeners } = setUp();
    dispose();
    expect(handlers.size).toBe(0);
    expect(eventListeners.size).toBe(0);
  });
});
