import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KeyboardShortcuts } from '../../renderer/app/KeyboardShortcuts';
import { IncidentList } from '../../renderer/components/IncidentList';
import { IncidentScreen } from '../../renderer/components/IncidentScreen';
import { THEME_STORAGE_KEY } from '../../renderer/state/theme-store';
import { testCore } from '../support/cores';
import { renderConsole } from '../support/render-console';

const STYLES = resolve(import.meta.dirname, '../../renderer/styles');
/** A stylesheet without its comments, whose words would read as selectors or colours. */
const css = (file: string) => readFileSync(resolve(STYLES, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const theme = () => document.documentElement.dataset.theme;
const themeButton = () => screen.getByRole('button', { name: 'Light theme' });

beforeEach(() => {
  localStorage.removeItem(THEME_STORAGE_KEY);
  delete document.documentElement.dataset.theme;
});

describe('Theme', () => {
  it('is dark by default; "Light theme" on the incident list switches, is remembered, and switches back', async () => {
    const { core } = testCore({ name: 'Ana' });
    const user = userEvent.setup();
    const first = renderConsole(<IncidentList />, core);
    await screen.findByRole('button', { name: 'Declare incident' });
    expect(theme()).toBe('dark');
    expect(themeButton()).toHaveAttribute('aria-pressed', 'false');

    await user.click(themeButton());
    expect(theme()).toBe('light');
    expect(themeButton()).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');

    // A new window of the console (fresh stores) opens in the theme chosen.
    first.unmount();
    delete document.documentElement.dataset.theme;
    renderConsole(<IncidentList />, core);
    expect(theme()).toBe('light');
    await user.click(themeButton());
    expect(theme()).toBe('dark');
    expect(themeButton()).toHaveAttribute('aria-pressed', 'false');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
  });

  it('switches from the incident screen’s breadcrumb bar too', async () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    const user = userEvent.setup();
    renderConsole(<IncidentScreen incidentId={incidentId} />, core);
    await screen.findByRole('heading', { level: 1, name: 'Payments failing' });

    const breadcrumb = screen.getByRole('navigation');
    expect(within(breadcrumb).getByRole('link', { name: 'Incidents' })).toBeInTheDocument();
    await user.click(within(breadcrumb).getByRole('button', { name: 'Light theme' }));
    expect(theme()).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('switches from the command palette’s "Switch theme"', async () => {
    const { core } = testCore({ name: 'Ana' });
    window.location.hash = '#/';
    const user = userEvent.setup();
    renderConsole(
      <>
        <IncidentList />
        <KeyboardShortcuts />
      </>,
      core,
    );
    await screen.findByRole('button', { name: 'Declare incident' });

    await user.keyboard('{Control>}k{/Control}theme{Enter}');
    expect(theme()).toBe('light');
    expect(themeButton()).toHaveAttribute('aria-pressed', 'true');
    await user.keyboard('{Control>}k{/Control}switch theme{Enter}');
    expect(theme()).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
  });

  it('is not offered on the wall display, which stays dark', async () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Payments failing', severity: 'P1' });
    window.location.hash = `#/wall/${incidentId}`;
    const user = userEvent.setup();
    renderConsole(<KeyboardShortcuts />, core);
    await act(async () => undefined);
    expect(theme()).toBe('light');
    await user.keyboard('{Control>}k{/Control}theme');
    expect(screen.queryByRole('option', { name: 'Switch theme' })).not.toBeInTheDocument();

    // jsdom applies no stylesheet: the wall's dark colours are read from the rules themselves.
    expect(css('app.css')).toMatch(/^:root,\s*\.wall-display \{/m);
    expect(css('wall.css')).toMatch(/\.wall-display \{[^}]*background: var\(--wall-bg\);[^}]*color: var\(--text\);/);
  });
});

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((at) => {
      const c = parseInt(hex.slice(at, at + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The custom properties of the first rule whose selector matches. */
function variables(selector: RegExp): Map<string, string> {
  const block = new RegExp(`${selector.source}\\s*\\{([^}]*)\\}`, 'm').exec(css('app.css'));
  if (!block) throw new Error(`no rule ${selector}`);
  return new Map([...block[1].matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

const DARK = variables(/^:root,\s*\.wall-display/);
const LIGHT = variables(/^:root\[data-theme='light'\]/);
/** Normal-size text (WCAG AA); the colour-contrast rule axe runs in Chromium asks the same. */
const TEXT_CONTRAST = 4.5;
const TEXT_COLOURS = ['text', 'muted', 'accent', 'ok', 'warning', 'overdue'];
const SURFACES = ['bg', 'panel', 'panel-raised', 'alert-bg'];
const FILLS: Array<[text: string, fill: string]> = [
  ['on-accent', 'accent'],
  ['on-strong', 'danger'],
  ['on-strong', 'drill'],
  ['on-strong', 'kind-decision'],
  ['on-strong', 'kind-action'],
  ['on-strong', 'kind-status-update'],
  ['on-strong', 'kind-communication'],
  ['on-strong', 'kind-metric-alert'],
];

describe('The stylesheets', () => {
  it('give the light theme every colour the dark one has', () => {
    expect([...LIGHT.keys()].sort()).toEqual([...DARK.keys()].sort());
    expect(DARK.size).toBeGreaterThanOrEqual(20);
  });

  it.each([
    ['dark', DARK],
    ['light', LIGHT],
  ])('keep every text colour readable on every surface in the %s theme', (_, colours) => {
    const tooFaint: string[] = [];
    const check = (text: string, surface: string) => {
      const ratio = contrast(colours.get(text) ?? '', colours.get(surface) ?? '');
      if (!(ratio >= TEXT_CONTRAST)) tooFaint.push(`${text} on ${surface}: ${ratio.toFixed(2)}`);
    };
    for (const text of TEXT_COLOURS) for (const surface of SURFACES) check(text, surface);
    for (const [text, fill] of FILLS) check(text, fill);
    expect(tooFaint).toEqual([]);
  });

  it('write no colour outside the two sets of variables', () => {
    const literal = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(/gi;
    const found: string[] = [];
    for (const file of readdirSync(STYLES).filter((f) => f.endsWith('.css'))) {
      let text = css(file);
      if (file === 'app.css') text = text.replace(/^:root,\s*\.wall-display \{[^}]*\}/m, '').replace(/^:root\[data-theme='light'\] \{[^}]*\}/m, '');
      for (const match of text.matchAll(literal)) found.push(`${file}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('show focus on everything that takes it, and never take the outline away', () => {
    const focusRule = /([^{}]*):focus-visible[^{]*\{[^}]*outline: 2px solid var\(--accent\)/.exec(css('app.css'));
    const covered = (focusRule?.[0].split('{')[0] ?? '').split(',').map((s) => s.trim().replace(/:focus-visible$/, ''));
    expect(covered).toEqual(expect.arrayContaining(['button', 'input', 'select', 'textarea', 'a', '[tabindex]']));
    for (const file of readdirSync(STYLES).filter((f) => f.endsWith('.css'))) {
      expect({ file, removesOutline: /outline:\s*(none|0)\b/.test(css(file)) }).toEqual({ file, removesOutline: false });
    }
  });
});
