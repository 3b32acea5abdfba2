/** The preload bridge: exactly invoke + subscribe, api methods only, errors that keep their code. */
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
    emit(channel: string, ...args: unknown[]) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc-event' }, ...args);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set());
      electron.listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => void electron.listeners.get(channel)?.delete(listener),
  },
}));

import type { ApiEvent } from '../../../shared/api';
import type { SitrepBridge } from '../../../electron/preload/index';

const page = new EventTarget();
vi.stubGlobal('window', page);
await import('../../../electron/preload/index');
const bridge = () => electron.exposed.get('sitrep') as SitrepBridge;

beforeEach(() => electron.invoke.mockClear());

describe('preload', () => {
  it('exposes exactly window.sitrep = { invoke, subscribe }, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['sitrep']);
    expect(Object.keys(bridge()).sort()).toEqual(['invoke', 'subscribe']);
    expect(typeof bridge().invoke).toBe('function');
    expect(typeof bridge().subscribe).toBe('function');
  });

  it('sends an api call on sitrep:invoke and resolves with its value', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: { deviceId: 'abc', name: 'War room' } });
    await expect(bridge().invoke('device.get', {})).resolves.toEqual({ deviceId: 'abc', name: 'War room' });
    expect(electron.invoke).toHaveBeenCalledExactlyOnceWith('sitrep:invoke', 'device.get', {});
  });

  it.each(['fs.readFile', 'toString', '__proto__', ''])('refuses %j before anything is sent', async (method) => {
    await expect(bridge().invoke(method, {})).rejects.toMatchObject({ name: 'SitrepError', code: 'invalid-argument' });
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('rejects with the code, message and details, as an object contextBridge copies whole', async () => {
    electron.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'invalid-argument', message: 'incidents.declare: title: required', details: ['title: required'] },
    });
    const reason = await bridge().invoke('incidents.declare', { title: '' }).catch((error: unknown) => error);
    const expected = { name: 'SitrepError', code: 'invalid-argument', message: 'incidents.declare: title: required', details: ['title: required'] };
    expect(reason).toEqual(expected);
    // What crosses the bridge is a copy: a structured clone keeps every field (an Error would keep its message only).
    expect(structuredClone(reason)).toEqual(expected);
  });

  it('reports an IPC failure (a refused sender) as an internal error', async () => {
    electron.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'sitrep:invoke': refused"));
    await expect(bridge().invoke('device.get', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('refused') });
  });

  it('delivers events to a subscriber without the IPC event object, until it unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge().subscribe((...args: unknown[]) => void received.push(args));
    const event: ApiEvent = { type: 'incidents-changed' };
    electron.emit('sitrep:event', event);
    expect(received).toEqual([[event]]);
    unsubscribe();
    electron.emit('sitrep:event', event);
    expect(received).toHaveLength(1);
  });

  it('refuses a subscriber that is not a function', () => {
    expect(() => bridge().subscribe('alert(1)' as unknown as (event: ApiEvent) => void)).toThrow(TypeError);
  });

  it('re-dispatches a menu command as a DOM event on window, and ignores unknown commands', () => {
    const newIncident = vi.fn();
    page.addEventListener('sitrep:new-incident', newIncident);
    electron.emit('sitrep:command', 'new-incident');
    expect(newIncident).toHaveBeenCalledOnce();
    const anything = vi.fn();
    page.addEventListener('sitrep:format-disk', anything);
    electron.emit('sitrep:command', 'format-disk');
    expect(anything).not.toHaveBeenCalled();
  });
});
