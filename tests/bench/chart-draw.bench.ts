/**
 * Drawing 100,000 samples in Chromium (DESIGN.md §8: under 200 ms): the time from opening an
 * incident whose error-rate metric holds that many samples to its chart drawn, in real Chromium
 * against browser mode. It covers the core's query and min/max downsampling, the trip over the
 * WebSocket, and React + recharts drawing the line, measured inside the page up to the frame after
 * the line's path is in the DOM. The renderer is built first, as the e2e tests do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { RENDERER_DIR } from '../../electron/serve/renderer-build';
import { startServe } from '../../electron/serve/server';
import { CHROMIUM_PATH } from '../support/chromium-path';
import { fmt, summarize, type LatencySummary } from './stats';

export const CHART_DRAW_TARGET_MS = 200;
const RUNS = 15;
const WARMUP_RUNS = 2;
const SAMPLE_SPACING_MS = 1_000;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'];

/**
 * In the page: open the incident and resolve with the ms until the frame after the error-rate
 * chart's line has its path. A string, so the bundler's helpers never leak into the page.
 */
const drawScript = (hash: string): string => `new Promise((resolve) => {
  const began = performance.now();
  window.location.hash = ${JSON.stringify('HASH')};
  const drawn = () => {
    const figure = [...document.querySelectorAll('figure')].find((f) => (f.textContent || '').includes('Error rates'));
    const line = figure && figure.querySelector('.recharts-line-curve');
    if (line && line.getAttribute('d')) requestAnimationFrame(() => resolve(performance.now() - began));
    else requestAnimationFrame(drawn);
  };
  drawn();
})`.replace('"HASH"', JSON.stringify(hash));

export interface ChartDrawResult {
  samples: number;
  drawn: LatencySummary;
}

export async function benchChartDraw(samples: number, log: (line: string) => void): Promise<ChartDrawResult> {
  await build({ configFile: path.resolve('vite.renderer.config.ts'), root: path.resolve('renderer'), logLevel: 'warn' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-chart-'));
  const serve = await startServe({ dataDir: dir, rendererDir: RENDERER_DIR, port: 0, testClock: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  try {
    const { incidentId } = serve.core.call('incidents.declare', { title: 'Chart bench', severity: 'P1' });
    const start = Date.now() - samples * SAMPLE_SPACING_MS;
    const rows = Array.from({ length: samples }, (_, i) => `${start + i * SAMPLE_SPACING_MS},error-rate,${(Math.sin(i / 500) + 1.2).toFixed(3)}`);
    serve.core.call('samples.importCsv', { incidentId, text: rows.join('\n') });
    log(`  chart: ${samples} error-rate samples stored`);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(serve.writeUrl);
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    const times: number[] = [];
    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      await page.evaluate(() => void (window.location.hash = '#/'));
      await page.getByRole('button', { name: 'Declare incident' }).waitFor();
      const ms = (await page.evaluate(drawScript(`#/incident/${incidentId}`))) as number;
      if (run >= WARMUP_RUNS) times.push(ms);
    }
    return { samples, drawn: summarize(times) };
  } finally {
    await browser.close();
    await serve.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function reportChartDraw(r: ChartDrawResult): string[] {
  return [
    `chart: ${r.samples} samples, from opening the incident to the chart drawn in Chromium (${RUNS} runs)`,
    `  p50 ${fmt(r.drawn.p50)}  p99 ${fmt(r.drawn.p99)}  max ${fmt(r.drawn.max)}   target < ${CHART_DRAW_TARGET_MS} ms: ${r.drawn.p99 < CHART_DRAW_TARGET_MS ? 'met' : 'missed'} (p99/target ${(r.drawn.p99 / CHART_DRAW_TARGET_MS).toFixed(2)})`,
  ];
}
