/**
 * `npm run bench`: measures Sitrep beside its ceiling in the same run and prints ratios
 * (DESIGN.md §8). Never part of `npm test`: speed is reported, not asserted. All traffic stays on
 * 127.0.0.1; every server, worker and child process a benchmark starts is stopped by it.
 *
 * Scaling down for a quick run (defaults in brackets):
 *   SITREP_BENCH_ONLY               benchmarks to run, comma-separated [local-store,fanout,catch-up,relay-rss,evidence,chart]
 *   SITREP_BENCH_ENTRIES            incident size for the local store [100000]
 *   SITREP_BENCH_FANOUT_CLIENTS     receiver counts [10,100]
 *   SITREP_BENCH_FANOUT_RATE        sender ops/s [500]
 *   SITREP_BENCH_FANOUT_SECONDS     measured seconds per rate run, after one of warm-up [10]
 *   SITREP_BENCH_SATURATION_OPS     measured ops per saturation run [5000]
 *   SITREP_BENCH_SATURATION_BATCHES ops per page in saturation runs [1,100]
 *   SITREP_BENCH_CATCHUP_OPS        ops a fresh core catches up [100000]
 *   SITREP_BENCH_CATCHUP_INGEST     verification modes of the ingest-alone runs, comma-separated, or none [each,page]
 *   SITREP_BENCH_IDLE_CONNECTIONS   idle connections for the relay's memory [1000]
 *   SITREP_BENCH_EVIDENCE_ENTRIES   timeline entries in the evidence bundle's incident [10000]
 *   SITREP_BENCH_CHART_SAMPLES      samples one chart draws in Chromium [100000]
 */
import { MAX_PAGE_OPS } from '../../shared/sync/protocol';
import { benchCatchUp, reportCatchUp } from './catch-up.bench';
import { benchChartDraw, reportChartDraw } from './chart-draw.bench';
import { benchEvidence, reportEvidence } from './evidence.bench';
import { benchFanout, reportFanout } from './fanout.bench';
import { benchLocalStore, reportLocalStore } from './local-store.bench';
import { benchRelayRss, reportRelayRss } from './relay-rss.bench';

const env = process.env;
const numbers = (text: string) => text.split(',').map((n) => Number(n.trim()));
const ONLY = new Set((env.SITREP_BENCH_ONLY ?? 'local-store,fanout,catch-up,relay-rss,evidence,chart').split(',').map((s) => s.trim()));
const ENTRIES = Number(env.SITREP_BENCH_ENTRIES ?? 100_000);
const FANOUT_CLIENTS = numbers(env.SITREP_BENCH_FANOUT_CLIENTS ?? '10,100');
const FANOUT_RATE = Number(env.SITREP_BENCH_FANOUT_RATE ?? 500);
const FANOUT_SECONDS = Number(env.SITREP_BENCH_FANOUT_SECONDS ?? 10);
const SATURATION_OPS = Number(env.SITREP_BENCH_SATURATION_OPS ?? 5_000);
const SATURATION_BATCHES = numbers(env.SITREP_BENCH_SATURATION_BATCHES ?? '1,100');
const CATCHUP_OPS = Number(env.SITREP_BENCH_CATCHUP_OPS ?? 100_000);
const CATCHUP_INGEST = (env.SITREP_BENCH_CATCHUP_INGEST ?? 'each,page').split(',').map((s) => s.trim()).filter((s) => s === 'each' || s === 'page');
const IDLE_CONNECTIONS = Number(env.SITREP_BENCH_IDLE_CONNECTIONS ?? 1_000);
const EVIDENCE_ENTRIES = Number(env.SITREP_BENCH_EVIDENCE_ENTRIES ?? 10_000);
const CHART_SAMPLES = Number(env.SITREP_BENCH_CHART_SAMPLES ?? 100_000);
const SATURATION_WARMUP = 200;

const log = (line: string) => console.log(line);
const started = Date.now();
log(`Sitrep bench (${new Date().toISOString()}, Node ${process.version})`);
if (ONLY.has('local-store')) for (const line of reportLocalStore(benchLocalStore(ENTRIES, log))) log(line);
if (ONLY.has('fanout')) {
  for (const clients of FANOUT_CLIENTS) {
    const result = await benchFanout({ clients, rate: FANOUT_RATE, batch: MAX_PAGE_OPS, ops: FANOUT_RATE * FANOUT_SECONDS, warmup: FANOUT_RATE }, log);
    for (const line of reportFanout(result)) log(line);
  }
  for (const batch of SATURATION_BATCHES) {
    for (const clients of FANOUT_CLIENTS) {
      const result = await benchFanout({ clients, batch, ops: SATURATION_OPS, warmup: SATURATION_WARMUP }, log);
      for (const line of reportFanout(result)) log(line);
    }
  }
}
if (ONLY.has('catch-up')) for (const line of reportCatchUp(await benchCatchUp(CATCHUP_OPS, log, CATCHUP_INGEST))) log(line);
if (ONLY.has('relay-rss')) for (const line of reportRelayRss(await benchRelayRss(IDLE_CONNECTIONS, log))) log(line);
if (ONLY.has('evidence')) for (const line of reportEvidence(benchEvidence(EVIDENCE_ENTRIES, log))) log(line);
if (ONLY.has('chart')) for (const line of reportChartDraw(await benchChartDraw(CHART_SAMPLES, log))) log(line);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
