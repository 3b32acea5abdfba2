/**
 * Where browser mode finds the built UI, and building it when it is missing (`sitrep serve` builds
 * what is missing, DESIGN.md §3). Uses the same Vite config as `npm run build:renderer`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIR = path.join(REPO_ROOT, 'out', 'renderer');

export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  if (fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  log('building the UI (first run)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO_ROOT, 'vite.renderer.config.ts'), root: path.join(REPO_ROOT, 'renderer'), logLevel: 'warn' });
  return RENDERER_DIR;
}
