/** Starting TypeScript child processes (through tsx) and reading their output line by line. */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();

export function spawnTs(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Resolves with the lines printed until `until` returns true (or the process ends). */
export function readLines(child: ChildProcess, until: (line: string, all: string[]) => boolean, limitMs = 30_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no expected output within ${limitMs} ms; stderr: ${stderr}`)), limitMs);
    const done = () => {
      clearTimeout(timer);
      rl.removeAllListeners('line');
      resolve(lines);
    };
    rl.on('line', (line) => {
      lines.push(line);
      if (until(line, lines)) done();
    });
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) {
        clearTimeout(timer);
        reject(new Error(`child exited with ${code}: ${stderr}`));
      } else done();
    });
  });
}

export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.on('exit', () => resolve()));

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([...children].map(exited));
});
