// Lint: the platform walls of DESIGN.md §3 as import rules (a wrong import fails the build, not a
// review), plus typescript-eslint's recommended checks.
import tseslint from 'typescript-eslint';

// Bare module names are matched exactly (so './crypto' of ours is not node's crypto); paths of ours by pattern.
const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'url', 'worker_threads'];
const wall = (files, forbidden, message) => {
  const isPattern = (f) => f.includes('*');
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbidden.filter((f) => !isPattern(f)).map((name) => ({ name, message })),
          patterns: [{ group: forbidden.filter(isPattern), message }],
        },
      ],
    },
  };
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  wall(
    ['shared/**/*.ts'],
    [...NODE_BUILTINS, 'node:*', 'electron', 'react', 'react-dom', 'better-sqlite3', 'ws', '**/electron/**', '**/renderer/**'],
    'shared/ is pure: no Node, no DOM, no Electron, nothing of ours outside shared/.',
  ),
  wall(
    ['electron/crypto/**/*.ts'],
    ['electron', 'react', 'better-sqlite3', 'ws', '**/core/**', '**/relay/**', '**/main/**', '**/preload/**', '**/serve/**', '**/cli/**', '**/renderer/**'],
    'electron/crypto imports only node:crypto and shared/.',
  ),
  wall(
    ['electron/sqlite/**/*.ts'],
    ['electron', 'react', 'ws', '**/core/**', '**/relay/**', '**/main/**', '**/preload/**', '**/serve/**', '**/cli/**', '**/renderer/**'],
    'electron/sqlite opens SQLite files for the core and the relay: only better-sqlite3, Node and shared/.',
  ),
  wall(
    ['electron/relay/**/*.ts'],
    ['electron', 'react', '**/core/**', '**/main/**', '**/preload/**', '**/serve/**', '**/cli/**', '**/renderer/**'],
    'electron/relay imports only shared/ and electron/crypto.',
  ),
  wall(
    ['electron/core/**/*.ts'],
    ['electron', 'react', '**/main/**', '**/preload/**', '**/serve/**', '**/cli/**', '**/renderer/**'],
    "electron/core runs under plain Node: never 'electron', never the shell or the UI.",
  ),
  wall(
    ['electron/cli/**/*.ts', 'electron/serve/**/*.ts'],
    ['electron', 'react', '**/main/**', '**/preload/**', '**/renderer/**'],
    'cli and serve run under plain Node and reach the core, never the Electron shell or the UI.',
  ),
  wall(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [...NODE_BUILTINS, 'node:*', 'electron', 'better-sqlite3', 'ws', '**/electron/**'],
    'renderer/ talks only to shared/api.ts: no Node, no Electron, no core.',
  ),
);
