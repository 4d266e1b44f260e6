/** profiles.json: validated, versioned, migrated, and never overwritten when it cannot be read. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/main/services/profiles.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { tempDirs } from '../support/temp.js';

const tempDir = tempDirs();
const profile = { id: 'p1', name: 'Prod', engine: 'pgsql', host: 'db', port: 5432, database: 'drupal', user: 'u', prefix: '', readOnly: true, superUser: true };
const sqlite = { name: 'Local', engine: 'sqlite' as const, file: '/srv/site.sqlite', prefix: '', readOnly: false, superUser: true };

function storeWith(content: string) {
  const folder = tempDir('si-pfile-');
  writeFileSync(join(folder, 'profiles.json'), content);
  return { store: new ProfileStore(folder, NO_SECRET_BOX), file: join(folder, 'profiles.json') };
}

const failure = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a failure');
};

describe('profiles.json', () => {
  it('reads the current version', () => {
    const { store } = storeWith(JSON.stringify({ version: 1, profiles: [profile] }));
    expect(store.list()).toEqual([{ ...profile, hasPassword: false, hasSshPassphrase: false }]);
  });

  it('migrates a file written before versions were recorded, and writes it as version 1', () => {
    const { store, file } = storeWith(JSON.stringify({ profiles: [profile] }));
    expect(store.list().map((p) => p.name)).toEqual(['Prod']);
    store.save(sqlite);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, profiles: [{ name: 'Prod' }, { name: 'Local' }] });
  });

  it('refuses a newer version without changing a byte of it', () => {
    const content = JSON.stringify({ version: 2, profiles: [{ ...profile, tunnel: { host: 'bastion' } }] });
    const { store, file } = storeWith(content);
    expect(failure(() => store.list()).message).toMatch(/newer Session Inspector \(file version 2; this one reads 1\)/);
    expect(failure(() => store.save(sqlite)).message).toMatch(/newer/);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('refuses a damaged file or entry, naming it, and leaves the file alone', () => {
    for (const [content, message] of [
      ['{"version":1,"profiles":[', /damaged file/],
      ['[1,2,3]', /not a file of saved connections/],
      [JSON.stringify({ version: 1, profiles: [{ ...profile, engine: 'oracle' }] }), /"Prod" .* damaged \(engine/],
      [JSON.stringify({ version: 1, profiles: [{ ...profile, port: 'x' }] }), /damaged \(port/],
    ] as const) {
      const { store, file } = storeWith(content);
      expect(failure(() => store.list()).message).toMatch(message);
      expect(() => store.save(sqlite)).toThrow();
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });
});
