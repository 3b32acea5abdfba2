/**
 * Drawing 100,000 samples in Chromium (DESIGN.md §8: under 200 ms): the time from opening an
 * incident whose error-rate metric holds that many samples to its chart drawn, in real Chromium
 * against browser mode. It covers the core's query and min/max downsampling, the trip over the
 * WebSocket, and React + recharts drawing the line, measured inside the page up to the frame after
 * the line's path is in the DOM. The renderer is built first, as the e2e tests do.
 *
 * Split into its parts: the core's queries alone (metrics.series, alerts.list, called in this
 * process); in the page, opening to the screen's data in (the last answer of the open incident's
 * refresh, stamped by a WebSocket wrapper the bench puts in the page, so the app carries no bench
 * code) and data in to drawn (React rendering the whole incident screen); and the same incident
 * opened with no samples, whose chart says "no samples yet": the difference is what the samples
 * themselves cost, the chart drawing included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { RENDERER_DIR } from '../../electron/serve/renderer-build';
import { startServe } from '../../electron/serve/server';
import { CHROMIUM_PATH } from '../support/chromium-path';
import { fmt, summarize, time, type LatencySummary } from './stats';

export const CHART_DRAW_TARGET_MS = 200;
const RUNS = 15;
const WARMUP_RUNS = 2;
const SAMPLE_SPACING_MS = 1_000;
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'];
/** The calls of the open incident's refresh (renderer/state/open-incident-store.ts): its data is in when the last is answered. */
const REFRESH_METHODS = ['incidents.get', 'roster.get', 'checklist.get', 'tasks.list', 'metrics.series', 'alerts.list', 'sources.list', 'steps.list'];

/** Put in the page before the app: stamps each call going out and its answer coming in (before the app parses it). */
const SOCKET_STAMPS = `(() => {
  const Native = window.WebSocket;
  const calls = new Map();
  window.__chartBench = calls;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => {
        const frame = JSON.parse(String(m.data));
        const call = frame.type === 'result' && calls.get(frame.id);
        if (call) call.in = performance.now();
      });
    }
    send(data) {
      const frame = JSON.parse(String(data));
      if (frame.type === 'invoke') calls.set(frame.id, { method: frame.method, out: performance.now() });
      super.send(data);
    }
  };
})()`;

interface RunTimes {
  /** Opening the incident to the chart drawn. */
  total: number;
  /** Opening to the refresh's last answer in. */
  dataIn: number;
  /** The refresh's last answer in to the chart drawn. */
  render: number;
}

/**
 * In the page: open the incident and resolve with the run's times, up to the frame after the
 * error-rate chart's line has its path (or, with no samples, says so). A string, so the bundler's
 * helpers never leak into the page.
 */
const drawScript = (hash: string, empty: boolean): string => `new Promise((resolve) => {
  const calls = window.__chartBench;
  calls.clear();
  const began = performance.now();
  window.location.hash = ${JSON.stringify(hash)};
  const refresh = ${JSON.stringify(REFRESH_METHODS)};
  const drawn = () => {
    const figure = [...document.querySelectorAll('figure')].find((f) => (f.textContent || '').includes('Error rates'));
    const line = figure && figure.querySelector('.recharts-line-curve');
    const done = ${empty} ? figure && (figure.textContent || '').includes('no samples yet') : line && line.getAttribute('d');
    if (!done) return void requestAnimationFrame(drawn);
    requestAnimationFrame(() => {
      const at = performance.now();
      const answered = [...calls.values()].filter((c) => refresh.includes(c.method) && c.in !== undefined && c.in <= at);
      const dataIn = Math.max(...answered.map((c) => c.in));
      resolve({ total: at - began, dataIn: dataIn - began, render: at - dataIn });
    });
  };
  drawn();
})`;

export interface ChartDrawResult {
  samples: number;
  /** Points the chart draws (downsampled from `samples`). */
  points: number;
  drawn: LatencySummary;
  dataIn: LatencySummary;
  render: LatencySummary;
  /** The same, opening an incident with no samples. */
  emptyDrawn: LatencySummary;
  emptyRender: LatencySummary;
  /** The core's queries alone, in this process. */
  coreSeries: LatencySummary;
  coreAlerts: LatencySummary;
}

async function openRuns(page: Page, incidentId: string, empty: boolean): Promise<RunTimes[]> {
  const times: RunTimes[] = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    await page.evaluate(() => void (window.location.hash = '#/'));
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    const times_ = (await page.evaluate(drawScript(`#/incident/${incidentId}`, empty))) as RunTimes;
    if (run >= WARMUP_RUNS) times.push(times_);
  }
  return times;
}

export async function benchChartDraw(samples: number, log: (line: string) => void): Promise<ChartDrawResult> {
  await build({ configFile: path.resolve('vite.renderer.config.ts'), root: path.resolve('renderer'), logLevel: 'warn' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-chart-'));
  const serve = await startServe({ dataDir: dir, rendererDir: RENDERER_DIR, port: 0, testClock: false });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  try {
    const { incidentId } = serve.core.call('incidents.declare', { title: 'Chart bench', severity: 'P1' });
    const { incidentId: emptyId } = serve.core.call('incidents.declare', { title: 'Chart bench, no samples', severity: 'P1' });
    const start = Date.now() - samples * SAMPLE_SPACING_MS;
    const rows = Array.from({ length: samples }, (_, i) => `${start + i * SAMPLE_SPACING_MS},error-rate,${(Math.sin(i / 500) + 1.2).toFixed(3)}`);
    serve.core.call('samples.importCsv', { incidentId, text: rows.join('\n') });
    log(`  chart: ${samples} error-rate samples stored`);

    const coreSeries: number[] = [];
    const coreAlerts: number[] = [];
    let points = 0;
    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      const series = time(() => serve.core.call('metrics.series', { incidentId, rangeMs: null }));
      const alerts = time(() => serve.core.call('alerts.list', { incidentId }));
      points = series.value.series[0].points.length;
      if (run < WARMUP_RUNS) continue;
      coreSeries.push(series.ms);
      coreAlerts.push(alerts.ms);
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(SOCKET_STAMPS);
    const page = await context.newPage();
    await page.goto(serve.writeUrl);
    await page.getByRole('button', { name: 'Declare incident' }).waitFor();
    const full = await openRuns(page, incidentId, false);
    const empty = await openRuns(page, emptyId, true);
    return {
      samples,
      points,
      drawn: summarize(full.map((t) => t.total)),
      dataIn: summarize(full.map((t) => t.dataIn)),
      render: summarize(full.map((t) => t.render)),
      emptyDrawn: summarize(empty.map((t) => t.total)),
      emptyRender: summarize(empty.map((t) => t.render)),
      coreSeries: summarize(coreSeries),
      coreAlerts: summarize(coreAlerts),
    };
  } finally {
    await browser.close();
    await serve.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ratio = (ms: number): string => (ms / CHART_DRAW_TARGET_MS).toFixed(2);
const part = (label: string, s: LatencySummary): string => `  ${label.padEnd(52)} p50 ${fmt(s.p50).padStart(9)}  p99 ${fmt(s.p99).padStart(9)}  (p50/target ${ratio(s.p50)})`;

export function reportChartDraw(r: ChartDrawResult): string[] {
  return [
    `chart: ${r.samples} samples drawn as ${r.points} points, from opening the incident to the chart drawn in Chromium (${RUNS} runs)`,
    `  p50 ${fmt(r.drawn.p50)}  p99 ${fmt(r.drawn.p99)}  max ${fmt(r.drawn.max)}   target < ${CHART_DRAW_TARGET_MS} ms: ${r.drawn.p99 < CHART_DRAW_TARGET_MS ? 'met' : 'missed'} (p50/target ${ratio(r.drawn.p50)}, p99/target ${ratio(r.drawn.p99)})`,
    part('core: metrics.series (query + downsampling)', r.coreSeries),
    part('core: alerts.list', r.coreAlerts),
    part('page: opening to the screen\'s data in', r.dataIn),
    part('page: data in to chart drawn (the whole screen)', r.render),
    part('same screen, no samples: opening to drawn', r.emptyDrawn),
    part('same screen, no samples: data in to drawn', r.emptyRender),
    `  what the 100,000 samples add (p50 drawn - p50 no samples): ${fmt(r.drawn.p50 - r.emptyDrawn.p50)} (/target ${ratio(r.drawn.p50 - r.emptyDrawn.p50)})`,
  ];
}
