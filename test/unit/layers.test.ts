/**
 * The layer rules of eslint.config.js fire: a probe file placed in each layer with one
 * forbidden import is an error, and the same file with an allowed import is clean.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = x;\n`, { filePath: file });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

const FORBIDDEN: Array<[layer: string, file: string, source: string]> = [
  ['core', 'src/core/probe.ts', "import x from 'electron';"],
  ['core', 'src/core/drupal/probe.ts', "import x from '../../main/services/console-service.js';"],
  ['core', 'src/core/probe.ts', "import x from '../cli/main.js';"],
  ['core', 'src/core/probe.ts', "import x from '../renderer/lib/store.js';"],
  ['shared', 'src/shared/probe.ts', "import x from 'node:fs';"],
  ['shared', 'src/shared/probe.ts', "import x from 'path';"],
  ['shared', 'src/shared/probe.ts', "import x from '../core/errors.js';"],
  ['shared', 'src/shared/probe.ts', "import x from 'electron';"],
  ['renderer', 'src/renderer/probe.ts', "import x from '../core/inspector/inspector.js';"],
  ['renderer', 'src/renderer/probe.ts', "import x from '../main/ipc/dispatcher.js';"],
  ['renderer', 'src/renderer/probe.ts', "import x from 'node:fs';"],
  ['renderer', 'src/renderer/probe.ts', "import x from 'electron';"],
  ['cli', 'src/cli/probe.ts', "import x from 'electron';"],
  ['cli', 'src/cli/probe.ts', "import x from '../main/services/console-service.js';"],
  ['main', 'src/main/probe.ts', "import x from '../renderer/lib/store.js';"],
  ['main', 'src/main/probe.ts', "import x from '../cli/main.js';"],
  ['preload', 'src/preload/probe.ts', "import x from '../core/errors.js';"],
  ['preload', 'src/preload/probe.ts', "import x from 'node:child_process';"],
];

const ALLOWED: Array<[layer: string, file: string, source: string]> = [
  ['core', 'src/core/probe.ts', "import x from 'node:fs';"],
  ['core', 'src/core/probe.ts', "import x from '../shared/domain.js';"],
  ['cli', 'src/cli/probe.ts', "import x from '../core/site.js';"],
  ['main', 'src/main/probe.ts', "import x from 'electron';"],
  ['main', 'src/main/probe.ts', "import x from '../core/site.js';"],
  ['renderer', 'src/renderer/probe.ts', "import x from '../shared/domain';"],
  ['preload', 'src/preload/probe.ts', "import x from 'electron';"],
  ['shared', 'src/shared/probe.ts', "import x from './domain.js';"],
];

describe('layer rules', () => {
  it.each(FORBIDDEN)('%s: refuses %s ← %s', async (_layer, file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each(ALLOWED)('%s: allows %s ← %s', async (_layer, file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});
