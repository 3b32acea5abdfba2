/**
 * `sitrep export` as a process, beside a running core that holds the writer lock: it reads the store
 * read-only, writes the file whole or not at all, names a folder it cannot write, and prints a PDF
 * through Debian's Chromium whose extracted text (pdftotext) holds the report.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH } from '../../support/chromium-path';
import { spawnTs } from '../../support/child-process';
import { testCore } from '../../support/cores';
import { buildExportIncident, HOSTILE_TEXTS } from '../../support/export-incident';
import { tempDir } from '../../support/temp-dir';

const PDFTOTEXT = '/usr/bin/pdftotext';
const PDF_TIMEOUT_MS = 180_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  const child: ChildProcess = spawnTs('electron/cli/main.ts', args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** A folder this process cannot write: root ignores file modes, so it gets sysfs. */
function unwritableFolder(): string {
  if (process.getuid?.() === 0) return '/sys';
  const folder = tempDir();
  fs.chmodSync(folder, 0o500);
  return folder;
}

describe('sitrep export beside a running console', () => {
  const { core, clock, dataDir } = testCore({ name: 'Ana' });
  const incidentId = buildExportIncident(core, clock);
  const out = tempDir();

  it('exports by id prefix while the writer lock is held, and the console keeps writing', async () => {
    const file = path.join(out, 'timeline.csv');
    const run = await runCli(['export', incidentId.slice(0, 13), '--format', 'csv', '--out', file, '--data-dir', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`exported incident ${incidentId} as csv to ${file}`);
    expect(fs.readFileSync(file, 'utf8')).toBe(core.call('export.incident', { incidentId, format: 'csv' }).content);
    expect(fs.readdirSync(out)).toEqual(['timeline.csv']);
    expect(() => core.call('timeline.add', { incidentId, text: 'still writing after the export' })).not.toThrow();
  });

  it.each(['md', 'html', 'json'] as const)('writes %s', async (format) => {
    const file = path.join(out, `report.${format}`);
    const run = await runCli(['export', incidentId, '--format', format, '--out', file, '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(format === 'json' ? HOSTILE_TEXTS.unicode : 'Lessons learned');
  });

  it('works with no console running too (the store closed cleanly)', async () => {
    const closed = testCore({ name: 'Ana' });
    const closedIncident = buildExportIncident(closed.core, closed.clock);
    closed.core.close();
    const file = path.join(tempDir(), 'closed.md');
    const run = await runCli(['export', closedIncident, '--format', 'md', '--out', file, '--data-dir', closed.dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('# Post-mortem: Checkout');
  });

  it('an unwritable folder fails clearly, naming it, and leaves no file', async () => {
    const folder = unwritableFolder();
    const before = fs.readdirSync(folder);
    const file = path.join(folder, 'report.md');
    const run = await runCli(['export', incidentId, '--format', 'md', '--out', file, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the folder ${folder} cannot be written`);
    expect(fs.readdirSync(folder)).toEqual(before);
  });

  it('a folder that does not exist, an unknown incident and an unknown format are refused by name', async () => {
    const missing = await runCli(['export', incidentId, '--format', 'md', '--out', path.join(out, 'nope', 'x.md'), '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`the folder ${path.join(out, 'nope')} does not exist`);
    const unknown = await runCli(['export', 'ffffffff', '--format', 'md', '--out', path.join(out, 'x.md'), '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no incident ffffffff on this device');
    const format = await runCli(['export', incidentId, '--format', 'docx', '--out', path.join(out, 'x.docx'), '--data-dir', dataDir]);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('--format docx: must be one of md, html, pdf, csv, json');
    expect(fs.existsSync(path.join(out, 'x.md'))).toBe(false);
  });
});

describe('sitrep export --format pdf', () => {
  const hasTools = fs.existsSync(CHROMIUM_PATH) && fs.existsSync(PDFTOTEXT);
  if (!hasTools && process.env.CI !== 'true') it.skip(`needs ${CHROMIUM_PATH} and ${PDFTOTEXT}`, () => {});
  else
    it(
      'prints the post-mortem of a drill; its text says DRILL and holds the entries',
      async () => {
        const { core, clock, dataDir } = testCore({ name: 'Ana' });
        const incidentId = buildExportIncident(core, clock, { drill: true });
        const file = path.join(tempDir(), 'post-mortem.pdf');
        const run = await runCli(['export', incidentId, '--format', 'pdf', '--out', file, '--data-dir', dataDir]);
        expect(run.stderr.split('\n').filter((l) => l.startsWith('sitrep'))).toEqual([]);
        expect(run.code).toBe(0);
        expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        expect(text).toContain('DRILL: Post-mortem: Checkout "EU" outage');
        expect(text).toContain('DRILL — this incident was an exercise');
        expect(text).toContain('<script>alert("pwned")</script>');
        expect(text).toContain('Rolled back v2.3.1, then "re-deployed" v2.3.2');
        expect(text).toContain('[redacted by Ana at 2026-11-29 14:12:00 UTC: personal phone number]');
        // Table cells wrap in print: the item's title and its result are a few words apart.
        expect(text).toMatch(/Post-mortem completed within 7 met/);
        expect(text).toContain('Lessons learned Config pushes need a canary.');
        expect(text).not.toContain(HOSTILE_TEXTS.plus);
      },
      PDF_TIMEOUT_MS,
    );
});
