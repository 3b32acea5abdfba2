/**
 * The packaging workflow and electron-builder config cannot run here (no Electron binary, no
 * internet), so this checks what can be checked: every `npm run X` the workflow calls is a script
 * of package.json, and every repo file the workflow (or those scripts) names exists; the builder
 * config has the security settings DESIGN.md §6 asks for.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const WORKFLOW = path.join(REPO, '.github/workflows/package.yml');
const BUILDER_CONFIG = path.join(REPO, 'electron-builder.yml');

/** js-yaml comes with electron-builder (a transitive dependency); it is loaded, then checked, not trusted. */
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const workflowSchema = z.object({
  on: z.record(z.string(), z.unknown()),
  jobs: z.record(
    z.string(),
    z.object({
      'runs-on': z.string(),
      strategy: z.object({ matrix: z.object({ os: z.array(z.string()) }) }).optional(),
      steps: z.array(z.object({ name: z.string().optional(), if: z.string().optional(), run: z.string().optional(), uses: z.string().optional() })),
    }),
  ),
});

const packageJson = z.object({ scripts: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) }).parse(
  JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')),
);
const workflow = workflowSchema.parse(yaml.load(fs.readFileSync(WORKFLOW, 'utf8')));
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.flatMap((step) => (step.run ? [step.run] : []));

/** The scripts a command line calls with `npm run NAME`. */
const npmRunsIn = (command: string) => [...command.matchAll(/\bnpm run(?:-script)?\s+([\w:.-]+)/g)].map((match) => match[1]);

/** Tokens of a command line that name a file of the repo (build output in out/ and dist/ excluded). */
const repoFilesIn = (command: string) =>
  [...command.matchAll(/(?<![\w/.-])((?:\.\/)?(?:[\w@.-]+\/)*[\w@-][\w@.-]*\.(?:ts|tsx|js|mjs|cjs|json|ya?ml|sh|plist|svg|md))(?![\w/.-])/g)]
    .map((match) => match[1].replace(/^\.\//, ''))
    .filter((file) => !/^(out|dist)\//.test(file) && !file.includes('${{'));

const calledScripts = [...new Set(runs.flatMap(npmRunsIn))];

describe('the packaging workflow', () => {
  it('builds on Linux, Windows and macOS', () => {
    expect(workflow.jobs.package.strategy?.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
  });

  it('calls the build, the three dist scripts and the smoke test', () => {
    expect(calledScripts).toEqual(expect.arrayContaining(['build', 'dist:linux', 'dist:win', 'dist:mac', 'test:electron-smoke']));
  });

  it('calls only npm scripts that package.json defines', () => {
    const missing = calledScripts.filter((name) => !Object.hasOwn(packageJson.scripts, name));
    expect(missing, `add these scripts to package.json: ${missing.join(', ')}`).toEqual([]);
  });

  it('names only files that exist, in its own commands and in the scripts it calls', () => {
    const commands = [...runs, ...calledScripts.flatMap((name) => packageJson.scripts[name] ?? [])];
    const named = [...new Set([...commands.flatMap(repoFilesIn), 'electron-builder.yml', 'tests/electron-smoke/smoke.spec.ts'])];
    const missing = named.filter((file) => !fs.existsSync(path.join(REPO, file)));
    expect(missing).toEqual([]);
  });

  it('filters pull requests on paths that exist', () => {
    const pullRequest = z.object({ paths: z.array(z.string()) }).parse(workflow.on.pull_request);
    const roots = pullRequest.paths.map((filter) => filter.replace(/\/\*\*$/, ''));
    expect(roots.filter((root) => !fs.existsSync(path.join(REPO, root)))).toEqual([]);
  });

  it('rebuilds native modules for Electron with the installed electron-builder, and only in this workflow', () => {
    expect(runs).toContain('npx electron-builder install-app-deps');
    expect(packageJson.devDependencies).toHaveProperty('electron-builder');
    const everyScript = Object.values(packageJson.scripts).join('\n');
    expect(everyScript).not.toMatch(/install-app-deps|electron-rebuild/);
    expect(packageJson.scripts).not.toHaveProperty('postinstall');
  });

  it('runs the Linux smoke test under xvfb', () => {
    const linuxSmoke = steps.find((step) => step.if === "runner.os == 'Linux'" && step.run?.includes('test:electron-smoke'));
    expect(linuxSmoke?.run).toMatch(/xvfb-run -a npm run test:electron-smoke/);
  });

  it('pins every action to a major version', () => {
    const actions = steps.flatMap((step) => (step.uses ? [step.uses] : []));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });
});

describe('electron-builder.yml', () => {
  const config = z
    .object({
      appId: z.string(),
      productName: z.string(),
      files: z.array(z.string()),
      asarUnpack: z.array(z.string()),
      npmRebuild: z.boolean(),
      electronFuses: z.record(z.string(), z.boolean()),
      linux: z.object({ target: z.array(z.string()) }),
      win: z.object({ target: z.array(z.object({ target: z.string() })) }),
      mac: z.object({ target: z.array(z.object({ target: z.string() })), entitlements: z.string() }),
    })
    .parse(yaml.load(fs.readFileSync(BUILDER_CONFIG, 'utf8')));

  it('names the app and packages only the build output', () => {
    expect(config.productName).toBe('Sitrep');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.files.filter((pattern) => !pattern.startsWith('!'))).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
  });

  it("unpacks better-sqlite3's native module from the asar and rebuilds it at packaging time", () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('sets the fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('targets AppImage and deb, nsis, and dmg, with resources that exist', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(fs.existsSync(path.join(REPO, config.mac.entitlements))).toBe(true);
    expect(fs.existsSync(path.join(REPO, 'build/icon.svg'))).toBe(true);
  });

  it('keeps build/ free of large binary blobs', () => {
    for (const file of fs.readdirSync(path.join(REPO, 'build'))) {
      expect(fs.statSync(path.join(REPO, 'build', file)).size, file).toBeLessThan(64 * 1024);
    }
  });
});
