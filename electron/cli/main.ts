/**
 * The `sitrep` command line. Each subcommand parses its flags, opens what it needs (the writer
 * lock for those that write; DESIGN.md §3), prints a short result, and exits non-zero with the
 * error's message on failure.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SitrepError } from '../../shared/errors';
import { chromiumPdfPrinter } from '../core/chromium-pdf';
import { createCore } from '../core/core';
import { electronUserDataDir, resolveDataDir } from '../core/data-dir';
import { backupDataDir, DEFAULT_BACKUP_EVERY_MS, DEFAULT_BACKUPS_KEPT } from '../core/store/backup';
import { chooseBackup, restoreStore } from '../core/store/restore';
import { exportToFile } from '../core/export-file';
import { startRelay } from '../relay/server';
import { ensureRendererBuilt } from '../serve/renderer-build';
import { startServe } from '../serve/server';
import { EVIDENCE_USAGE, exportEvidenceCommand, importCommand, verify } from './evidence-commands';

const USAGE = `usage: sitrep <command> [options]

commands:
  serve [--data-dir DIR] [--port P] [--host H] [--read-only] [--tls-cert C --tls-key K] [--test-clock]
        [--backup-every MINUTES] [--keep-backups N]
                             run the console in a browser on this machine (takes the writer lock);
                             backs the store up every 15 minutes (0: never), keeping the newest 24
  backup [--data-dir DIR] [--keep N]
                             back the store up now into DIR/backups (beside a running console too;
                             never the key store), keeping the newest N (24)
  restore (--from FILE | --latest) [--data-dir DIR]
                             put a backup in place of the store, the current one kept aside
                             (takes the writer lock: close the console first)
  relay [--data-dir DIR] [--port P] [--host H] [--tls-cert C --tls-key K]
                             run a relay: stores and forwards incidents' signed, encrypted ops
  rebuild [--data-dir DIR]   re-derive every table from the signed op log (takes the writer lock)
${EVIDENCE_USAGE}
  export INCIDENT --format md|html|pdf|csv|json --out FILE [--data-dir DIR]
                             write one incident (its id or a unique prefix) to FILE; reads the store
                             read-only, so it works beside a running console; pdf prints with Chromium

The data folder is --data-dir, else $SITREP_DATA_DIR, else the desktop app's folder.
A relay's is --data-dir, else $SITREP_RELAY_DATA_DIR, else a "relay" folder in the desktop app's folder.`;

/** The relay's folder: its own, never the console's data (a relay holds no keys and no incident text). */
function resolveRelayDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag ?? env.SITREP_RELAY_DATA_DIR ?? path.join(electronUserDataDir(process.platform, env), 'relay'));
}

const parsePort = (text: string | undefined): number => {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`--port ${text}: must be a port number (0 picks a free one)`);
  return port;
};

const parseCount = (flag: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`${flag} ${text}: must be a whole number, 0 or more`);
  return n;
};

/** Resolves on the first SIGINT or SIGTERM. */
const interrupted = (): Promise<void> =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

function rebuild(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, strict: true });
  // A one-shot tool: it must not dial the relays of shared incidents.
  const core = createCore({ dataDir: resolveDataDir(values['data-dir']), sync: false });
  try {
    const report = core.rebuild();
    console.log(
      `rebuilt ${core.dataDir}: ${report.ops} ops, ${report.applied} applied` +
        (report.unknown ? `, ${report.unknown} need a newer Sitrep` : '') +
        (report.locked ? `, ${report.locked} of incidents without a key here` : ''),
    );
  } finally {
    core.close();
  }
}

async function backup(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, keep: { type: 'string' } }, strict: true });
  const dataDir = resolveDataDir(values['data-dir']);
  const keep = parseCount('--keep', values.keep, DEFAULT_BACKUPS_KEPT);
  if (keep < 1) throw new TypeError('--keep 0: rotation must keep at least the backup just taken');
  const taken = await backupDataDir(dataDir, { at: Date.now(), keep });
  console.log(`backed up ${dataDir} to ${taken.file} (${taken.bytes} bytes; the key store is not in it)`);
}

function restore(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, from: { type: 'string' }, latest: { type: 'boolean', default: false } },
    strict: true,
  });
  if ((values.from === undefined) === !values.latest) throw new TypeError('give either --from FILE or --latest');
  const dataDir = resolveDataDir(values['data-dir']);
  const report = restoreStore(dataDir, chooseBackup(dataDir, values.from), Date.now());
  console.log(`restored ${report.restored} into ${dataDir}`);
  if (report.keptAside) console.log(`the store that was in place is kept as ${report.keptAside}`);
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'test-clock': { type: 'boolean', default: false },
      'backup-every': { type: 'string' },
      'keep-backups': { type: 'string' },
    },
    strict: true,
  });
  const port = parsePort(values.port);
  const everyMinutes = parseCount('--backup-every', values['backup-every'], DEFAULT_BACKUP_EVERY_MS / 60_000);
  const keep = parseCount('--keep-backups', values['keep-backups'], DEFAULT_BACKUPS_KEPT);
  if (keep < 1) throw new TypeError('--keep-backups 0: rotation must keep at least the newest backup');
  const running = await startServe({
    dataDir: resolveDataDir(values['data-dir']),
    rendererDir: await ensureRendererBuilt((line) => console.log(line)),
    port,
    host: values.host,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    testClock: values['test-clock'],
    backups: { everyMs: everyMinutes === 0 ? null : everyMinutes * 60_000, keep },
  });
  for (const warning of running.warnings) console.warn(`warning: ${warning}`);
  console.log(`Sitrep console for ${running.core.dataDir}`);
  console.log(`  open: ${running.writeUrl}`);
  if (values['read-only'] || values.host) console.log(`  wall display (read only): ${running.readUrl}`);
  if (running.testClockToken) console.log(`  test clock token: ${running.testClockToken}`);
  console.log('Ctrl+C stops it.');
  await interrupted();
  await running.close();
  console.log('stopped; the data folder is closed cleanly.');
}

async function relay(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = resolveRelayDataDir(values['data-dir']);
  const running = await startRelay({
    dataDir,
    port: parsePort(values.port),
    host: values.host,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
  });
  console.log(`Sitrep relay for ${dataDir}`);
  console.log(`  listening on ${running.url}`);
  console.log(`  relay ${running.relayId}, epoch ${running.epoch}`);
  console.log('Ctrl+C stops it.');
  await interrupted();
  await running.close();
  console.log('stopped; the relay database is closed cleanly.');
}

async function exportIncident(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new TypeError('give one INCIDENT (its id or a unique prefix)');
  if (!values.format) throw new TypeError('--format is required: md, html, pdf, csv or json');
  if (!values.out) throw new TypeError('--out FILE is required');
  // Read-only: no writer lock, no key store, no relay dialled.
  const written = await exportToFile({
    dataDir: resolveDataDir(values['data-dir']),
    incident: positionals[0],
    format: values.format,
    out: values.out,
    printPdf: chromiumPdfPrinter(),
  });
  console.log(`exported incident ${written.incidentId} as ${values.format} to ${written.file} (${written.bytes} bytes)`);
}

/** A command returns its exit code when it has one other than 0 to give (verify: 1 when the bundle does not verify). */
const COMMANDS: Record<string, (argv: string[]) => void | number | Promise<void>> = {
  serve,
  relay,
  rebuild,
  backup,
  restore,
  export: exportIncident,
  verify,
  'export-evidence': exportEvidenceCommand,
  import: importCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command && command !== '--help' ? `sitrep: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return command && command !== '--help' ? 2 : 0;
  }
  try {
    const code = await run(rest);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    console.error(`sitrep ${command}: ${error instanceof SitrepError || error instanceof TypeError ? error.message : String(error)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
