/** The application menu's contents, per platform and build. */
const { Menu } = vi.hoisted(() => ({ Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() } }));
vi.mock('electron', () => ({ Menu }));

import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate, installApplicationMenu, sendMenuCommand, type MenuOptions } from '../../../electron/main/menu';

function template(overrides: Partial<MenuOptions> = {}) {
  const actions = { sendCommand: vi.fn(), openWallDisplay: vi.fn() };
  const items = applicationMenuTemplate({ platform: 'linux', isDev: false, actions, ...overrides });
  return { items, actions };
}

const submenu = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const byLabel = (items: MenuItemConstructorOptions[], label: string) => items.find((item) => item.label === label);
const roles = (items: MenuItemConstructorOptions[]) => items.map((item) => item.role).filter(Boolean);
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as unknown as () => void)();

describe('application menu', () => {
  it('has File, Edit, View and Help', () => {
    const { items } = template();
    expect(items.map((item) => item.label ?? item.role)).toEqual(['&File', 'editMenu', '&View', 'help']);
  });

  it('File › New Incident sends the new-incident command to the console; Open Wall Display opens it; Quit quits', () => {
    const { items, actions } = template();
    const file = submenu(byLabel(items, '&File'));
    click(byLabel(file, 'New Incident…'));
    expect(actions.sendCommand).toHaveBeenCalledExactlyOnceWith('new-incident');
    click(byLabel(file, 'Open Wall Display'));
    expect(actions.openWallDisplay).toHaveBeenCalledOnce();
    expect(roles(file)).toEqual(['quit']);
  });

  it('View offers zoom and full screen, and reload and devtools only in development', () => {
    const production = roles(submenu(byLabel(template().items, '&View')));
    expect(production).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    const development = roles(submenu(byLabel(template({ isDev: true }).items, '&View')));
    expect(development).toEqual(['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('Help has About', () => {
    const help = template().items.find((item) => item.role === 'help');
    expect(roles(submenu(help))).toEqual(['about']);
  });

  it('on macOS puts the app menu first (with Quit) and adds the Window menu', () => {
    const { items } = template({ platform: 'darwin' });
    expect(items.map((item) => item.label ?? item.role)).toEqual(['appMenu', '&File', 'editMenu', '&View', 'windowMenu', 'help']);
    expect(roles(submenu(byLabel(items, '&File')))).toEqual([]);
  });

  it('installs the built menu as the application menu', () => {
    installApplicationMenu({ platform: 'win32', isDev: false, actions: { sendCommand: vi.fn(), openWallDisplay: vi.fn() } });
    expect(Menu.buildFromTemplate).toHaveBeenCalledOnce();
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(Menu.buildFromTemplate.mock.results[0].value);
  });

  it('sends a command on sitrep:command to a live window only', () => {
    const live = { send: vi.fn(), isDestroyed: () => false };
    const gone = { send: vi.fn(), isDestroyed: () => true };
    sendMenuCommand(live, 'new-incident');
    sendMenuCommand(gone, 'new-incident');
    sendMenuCommand(undefined, 'new-incident');
    expect(live.send).toHaveBeenCalledExactlyOnceWith('sitrep:command', 'new-incident');
    expect(gone.send).not.toHaveBeenCalled();
  });
});
