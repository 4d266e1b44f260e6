/**
 * Opening a dump in the app: the import runs on its worker thread (the main thread keeps
 * ticking), its progress can be asked for while it runs, Cancel stops it and leaves no
 * snapshot behind, and a finished one opens read-only with the dump's time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../bench/dumps.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import type { Handlers, ImportProgress } from '../../src/shared/ipc/contract.js';
import { builtDumpWorker, builtSqliteWorker } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a dump opened in the app', () => {
  let service: ConsoleService;
  let handlers: Handlers;
  let home: string;
  let file: string;

  beforeAll(async () => {
    file = join(tempDir('si-app-dump-'), 'site.sql');
    // A Drupal-shaped mysqldump of 48 MiB (the benchmark's generator): an import of a few seconds.
    await writeDump(file, 48);
    home = tempDir('si-app-dump-home-');
    service = new ConsoleService({
      dataHome: home, secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null, sqliteWorker: builtSqliteWorker(), dumpWorker: builtDumpWorker(),
    });
    handlers = service.handlers();
  });

  afterAll(async () => {
    await service?.dispose();
  });

  const snapshots = () => (existsSync(join(home, 'snapshots')) ? readdirSync(join(home, 'snapshots')) : []);

  it('imports off the main thread, shows its progress, and cancels leaving nothing', { timeout: 60_000 }, async () => {
    const profile = await service.profiles.save({ name: 'Dump', engine: 'sqlite', file, prefix: '', readOnly: false, superUser: true });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const connecting = handlers.connect({ profileId: profile.id }).then(() => null, (error: { code: string; message: string }) => error);
    const seen: ImportProgress[] = [];
    while (seen.length < 3) {
      const progress = await handlers.importProgress();
      if (progress) seen.push(progress);
      await sleep(20);
    }
    await handlers.cancel();
    const error = await connecting;
    clearInterval(ticker);
    expect(error).toMatchObject({ code: 'CANCELLED', message: 'The import of the dump was cancelled.' });
    expect(seen[0]!.totalBytes).toBeGreaterThan(48 * 1024 * 1024);
    expect(seen.at(-1)!.fileBytes).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(5);
    expect(await handlers.importProgress()).toBeNull();
    expect(snapshots()).toEqual([]);
  });

  it('opens it read-only as of when it was made, and a second time from its snapshot', { timeout: 60_000 }, async () => {
    const profile = (await service.profiles.list()).find((p) => p.name === 'Dump')!;
    const info = await handlers.connect({ profileId: profile.id });
    expect(info).toMatchObject({
      readOnly: true,
      asOf: Date.parse('2026-11-20T09:30:00Z') / 1000,
      snapshot: { source: file, dialect: 'mysql', madeAt: Date.parse('2026-11-20T09:30:00Z') / 1000, madeAtFrom: 'dump', zoneKnown: false },
    });
    expect(snapshots().filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
    const again = Date.now();
    await handlers.connect({ profileId: profile.id });
    expect(Date.now() - again).toBeLessThan(5000);
    expect(snapshots().filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);
  });
});
