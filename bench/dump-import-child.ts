/**
 * One dump import in a process of its own (bench/dumps.ts): prints its time, the rows
 * kept and the process's peak RSS as one JSON line.
 */
import { openInspector } from '../src/core/inspector/open-inspector.js';

const [file, home] = process.argv.slice(2);
const start = process.hrtime.bigint();
const inspector = await openInspector({ target: { engine: 'sqlite', file: file! }, readOnly: true, dataHome: home! });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const rows = Object.values(inspector.snapshot?.rows ?? {}).reduce((sum, n) => sum + n, 0);
await inspector.site.db.close();
console.log(JSON.stringify({ seconds, rows, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
