import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import type { AuditEntry } from '../../src/shared/domain.js';
import { exactUtc, relativeTime } from '../../src/shared/time.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
  operator: { uid: 1, name: 'admin' },
  site: 'sqlite:/srv/site.sqlite',
  target: { uid: 7, name: `Zoë ${i}` },
  sidPrefix: `sid${i}`.padEnd(8, 'x'),
  hostname: '2001:db8::1',
  action: i % 2 ? 'revoke' : 'revoke-all',
});

describe('the audit log', () => {
  it('appends entries and reads the newest first, across read chunks', async () => {
    const log = AuditLog.in(tempDir('si-audit-'));
    expect((await log.read(10)).entries).toEqual([]);
    const all = Array.from({ length: 3000 }, (_, i) => entry(i));
    log.append(all.slice(0, 1500));
    log.append(all.slice(1500));
    const recent = (await log.read(2500)).entries;
    expect(recent).toHaveLength(2500);
    expect(recent[0]).toEqual(all[2999]);
    expect(recent[2499]).toEqual(all[500]);
  });

  it('skips damaged or foreign lines instead of passing them on, and counts them', async () => {
    const folder = tempDir('si-audit-');
    const log = AuditLog.in(folder);
    log.append([entry(1)]);
    appendFileSync(join(folder, 'audit.log'), '{"time":"not a date","operator":{}}\n{}\n[1,2]\n{"truncated":\n');
    log.append([entry(2)]);
    expect(await log.read(10)).toEqual({ entries: [entry(2), entry(1)], damagedLines: 4 });
  });
});

describe('times that cannot be dates', () => {
  it('say so instead of throwing', () => {
    expect(exactUtc(1e17)).toBe('invalid time');
    expect(relativeTime(Number.NaN, 1000)).toBe('invalid time');
  });
});
