/**
 * The `sitrep` command line. Each subcommand parses its flags, opens what it needs (the writer
 * lock for those that write; DESIGN.md §3), prints a short result, and exits non-zero with the
 * error's message on failure.
 */
import { parseArgs } from 'node:util';
import { SitrepError } from '../../shared/errors';
import { createCore } from '../core/core';
import { resolveDataDir } from '../core/data-dir';

const USAGE = `usage: sitrep <command> [options]

commands:
  rebuild [--data-dir DIR]   re-derive every table from the signed op log (takes the writer lock)

The data folder is --data-dir, else $SITREP_DATA_DIR, else the desktop app's folder.`;

function rebuild(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, strict: true });
  const core = createCore({ dataDir: resolveDataDir(values['data-dir']) });
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

const COMMANDS: Record<string, (argv: string[]) => void | Promise<void>> = { rebuild };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command && command !== '--help' ? `sitrep: unknown command "${command}"\n\n${USAGE}` : USAGE);
    return command && command !== '--help' ? 2 : 0;
  }
  try {
    await run(rest);
    return 0;
  } catch (error) {
    console.error(`sitrep ${command}: ${error instanceof SitrepError || error instanceof TypeError ? error.message : String(error)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
