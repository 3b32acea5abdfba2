/**
 * PDF export in the desktop app, with `electron` mocked: export.incident format pdf asks the core for
 * the HTML export and prints it in a hidden, script-less window through webContents.printToPDF,
 * answering base64; every other call passes through; the window is destroyed even when printing fails.
 */
const printed = vi.hoisted(() => ({ windows: [] as Array<{ options: unknown; loaded: string[]; destroyed: boolean; printToPDF: ReturnType<typeof vi.fn> }>, fail: false }));

vi.mock('electron', () => ({
  BrowserWindow: class {
    loaded: string[] = [];
    destroyed = false;
    readonly webContents = {
      printToPDF: vi.fn(async () => {
        if (printed.fail) throw new Error('printing failed');
        return Buffer.from('%PDF-1.7 printed');
      }),
    };
    constructor(readonly options: unknown) {
      printed.windows.push(Object.assign(this, { printToPDF: this.webContents.printToPDF }));
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    destroy() {
      this.destroyed = true;
    }
  },
}));

import { withPdfExport } from '../../../electron/main/pdf-printer';
import type { ApiArgs, SitrepApi } from '../../../shared/api';
import { testCore } from '../../support/cores';

/** The real core behind the api, as the core client would reach it. */
function api(): { app: SitrepApi; incidentId: string; calls: string[] } {
  const { core } = testCore({ name: 'Ana' });
  const { incidentId } = core.call('incidents.declare', { title: 'Disk <full>', severity: 'P2', drill: true });
  const calls: string[] = [];
  const client: SitrepApi = {
    invoke: (method, args) => (calls.push(`${method} ${JSON.stringify(args)}`), core.invoke(method, args)),
    subscribe: (listener) => core.subscribe(listener),
  };
  return { app: withPdfExport(client), incidentId, calls };
}

beforeEach(() => {
  printed.windows.length = 0;
  printed.fail = false;
});

describe('PDF export in Electron', () => {
  it('prints the HTML export in a hidden window without script and answers base64', async () => {
    const { app, incidentId, calls } = api();
    const file = await app.invoke('export.incident', { incidentId, format: 'pdf' });
    expect(file).toMatchObject({ fileName: expect.stringMatching(/^DRILL-\d{4}-\d\d-\d\d-disk-full\.pdf$/), mime: 'application/pdf', encoding: 'base64' });
    expect(Buffer.from(file.content, 'base64').toString('latin1')).toBe('%PDF-1.7 printed');
    expect(calls).toEqual([`export.incident ${JSON.stringify({ incidentId, format: 'html' })}`]);

    const [window] = printed.windows;
    expect(window.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    const html = decodeURIComponent(window.loaded[0].replace(/^data:text\/html;charset=utf-8,/, ''));
    expect(html).toContain('<h1>DRILL: Post-mortem: Disk &lt;full&gt;</h1>');
    expect(window.printToPDF).toHaveBeenCalledWith(expect.objectContaining({ printBackground: true }));
    expect(window.destroyed).toBe(true);
  });

  it('passes every other call through to the core', async () => {
    const { app, incidentId, calls } = api();
    const markdown = await app.invoke('export.incident', { incidentId, format: 'md' });
    expect(markdown.content).toContain('# DRILL: Post-mortem: Disk &lt;full&gt;');
    expect((await app.invoke('incidents.get', { incidentId })).state.title).toBe('Disk <full>');
    expect(calls).toHaveLength(2);
    expect(printed.windows).toHaveLength(0);
  });

  it('refuses a bad call through the core, and destroys the window when printing fails', async () => {
    const { app, incidentId } = api();
    const unknownKey = { incidentId, format: 'pdf', pages: 3 } as ApiArgs<'export.incident'>;
    await expect(app.invoke('export.incident', unknownKey)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('pages') });
    expect(printed.windows).toHaveLength(0);

    printed.fail = true;
    await expect(app.invoke('export.incident', { incidentId, format: 'pdf' })).rejects.toThrow('printing failed');
    expect(printed.windows[0].destroyed).toBe(true);
  });
});
