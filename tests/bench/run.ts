/**
 * `npm run bench`: measures Sitrep beside its ceiling in the same run and prints ratios
 * (DESIGN.md §8). Never part of `npm test`: speed is reported, not asserted.
 * SITREP_BENCH_ENTRIES scales the incident size (default 100,000).
 */
import { benchLocalStore, reportLocalStore } from './local-store.bench';

const ENTRIES = Number(process.env.SITREP_BENCH_ENTRIES ?? 100_000);

const log = (line: string) => console.log(line);
log(`Sitrep bench (${new Date().toISOString()}, Node ${process.version})`);
for (const line of reportLocalStore(benchLocalStore(ENTRIES, log))) log(line);
