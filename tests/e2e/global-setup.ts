/**
 * Builds the renderer once before the end-to-end tests, so they always drive the current UI, and
 * checks Chromium is there: a missing browser fails the run (CI installs it; it never skips).
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { CHROMIUM_PATH } from '../support/chromium-path';

export default async function setup(): Promise<void> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  const root = path.resolve('renderer');
  await build({ configFile: path.resolve('vite.renderer.config.ts'), root, logLevel: 'warn' });
}
