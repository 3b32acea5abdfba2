/**
 * Real Chromium (Debian's, never a downloaded one) driven by playwright-core against browser mode
 * on 127.0.0.1. Every browser and server a test starts, it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServe, type RunningServe } from '../../electron/serve/server';
import { RENDERER_DIR } from '../../electron/serve/renderer-build';
import { CHROMIUM_PATH } from './chromium-path';
import { tempDir } from './temp-dir';

export const SCREENSHOT_DIR = path.resolve('out', 'e2e');

/** Flags that keep Chromium off the network (this machine has none) and headless as root. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

const browsers: Browser[] = [];
const servers: RunningServe[] = [];

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  browsers.push(browser);
  return browser;
}

export async function startConsole(options: { testClock?: boolean; dataDir?: string } = {}): Promise<RunningServe> {
  const running = await startServe({
    dataDir: options.dataDir ?? tempDir(),
    rendererDir: RENDERER_DIR,
    port: 0,
    testClock: options.testClock ?? false,
  });
  servers.push(running);
  return running;
}

export interface ConsolePage {
  page: Page;
  errors: string[];
}

export interface OpenOptions {
  /**
   * Installs Playwright's clock before the page loads, pinned at this instant (UTC ms); move it
   * with test-clock.ts's setTime/moveTime, which move the console's core to the same instant.
   */
  clockAt?: number;
  /** The browser's time zone (an IANA name), so local time differs from UTC on purpose. */
  timezoneId?: string;
  /** Lets a test inject axe-core past the console's strict CSP. */
  bypassCSP?: boolean;
}

/** Opens a printed URL at 1280×720, collecting page errors so a test can assert there were none. */
export async function openConsole(browser: Browser, url: string, viewport = { width: 1280, height: 720 }, options: OpenOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, timezoneId: options.timezoneId, bypassCSP: options.bypassCSP });
  const page = await context.newPage();
  if (options.clockAt !== undefined) {
    await page.clock.install({ time: options.clockAt });
    await page.clock.setFixedTime(options.clockAt);
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

afterAll(async () => {
  await Promise.all(browsers.splice(0).map((b) => b.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
