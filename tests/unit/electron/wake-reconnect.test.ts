/** electron/main/wake-reconnect.ts: powerMonitor's 'resume' asks the core to reconnect its relays, and a refusal is logged, never thrown. */
import { EventEmitter } from 'node:events';
import { reconnectOnResume } from '../../../electron/main/wake-reconnect';

describe('reconnecting when the machine wakes', () => {
  it("calls sync.reconnect on every 'resume', and nothing before", async () => {
    const powerMonitor = new EventEmitter();
    const invoke = vi.fn(async () => ({ reconnecting: 2 }));
    reconnectOnResume(powerMonitor, { invoke } as never);
    expect(invoke).not.toHaveBeenCalled();
    powerMonitor.emit('resume');
    powerMonitor.emit('resume');
    expect(invoke.mock.calls).toEqual([
      ['sync.reconnect', {}],
      ['sync.reconnect', {}],
    ]);
  });

  it('logs a core that cannot answer (restarting, closed) instead of failing', async () => {
    const powerMonitor = new EventEmitter();
    const log = vi.fn();
    reconnectOnResume(powerMonitor, { invoke: async () => Promise.reject(new Error('the core is closed')) } as never, log);
    powerMonitor.emit('resume');
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('the core is closed')));
  });
});
