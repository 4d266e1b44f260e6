import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers (docs/architecture.md) and what each may import. A wrong-way import is a
 * lint error; test/unit/layers.test.ts proves each rule fires.
 */
const NODE = ['node:*', ...builtinModules];
/** Built-in module names are matched exactly ('domain' is also the name of a file of ours). */
const layer = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: forbidden.filter((name) => builtinModules.includes(name)).map((name) => ({ name, message: why })),
        patterns: [{ group: forbidden.filter((name) => !builtinModules.includes(name)), message: why }],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', '.native/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer(
    ['src/shared/**/*.ts'],
    [...NODE, 'electron', 'react', '**/core/**', '**/cli/**', '**/main/**', '**/preload/**', '**/renderer/**'],
    'src/shared is the contract every process shares: it imports nothing of Node, the DOM, Electron or another layer.',
  ),
  layer(
    ['src/core/**/*.ts'],
    ['electron', 'react', '**/cli/**', '**/main/**', '**/preload/**', '**/renderer/**'],
    'src/core runs anywhere Node runs (CLI, app, tests): it imports neither Electron nor the CLI, main or renderer layers.',
  ),
  layer(
    ['src/cli/**/*.ts'],
    ['electron', 'react', '**/main/**', '**/preload/**', '**/renderer/**'],
    'The CLI is plain Node over src/core: it never imports Electron or the app\'s layers.',
  ),
  layer(
    ['src/main/**/*.ts'],
    ['react', '**/cli/**', '**/preload/**', '**/renderer/**'],
    'The main process talks to the renderer over IPC only, and does not import the CLI.',
  ),
  layer(
    ['src/preload/**/*.ts'],
    [...NODE, '**/core/**', '**/cli/**', '**/main/**', '**/renderer/**'],
    'The preload exposes the IPC contract and nothing else: it imports Electron and src/shared only.',
  ),
  layer(
    ['src/renderer/**/*.{ts,tsx}'],
    [...NODE, 'electron', '**/core/**', '**/cli/**', '**/main/**', '**/preload/**'],
    'The renderer is a sandboxed web page: it imports src/shared and browser libraries only, and reaches the main process through the bridge.',
  ),
);
