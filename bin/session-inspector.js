#!/usr/bin/env node
// The CLI, prebuilt into out/cli/ by `npm install` (the prepare script) and `npm run build`:
// plain JavaScript, no TypeScript compiler at run time.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Answered before loading anything else: a version check should cost no more than Node's start.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`session-inspector ${version}\n`);
  process.exit(0);
}

const bundle = new URL('../out/cli/main.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('session-inspector is not built yet: run `npm install` (or `npm run build`) in its folder.\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
