import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../src/main/services/profiles.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { STAND_IN_KEYRING } from '../support/keyring.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const keyring = STAND_IN_KEYRING;

const server = { name: 'Prod', engine: 'pgsql' as const, host: 'db', port: 5432, database: 'drupal', user: 'inspector', prefix: '', readOnly: false, superUser: true };

describe('saved connections', () => {
  it('keeps database passwords only encrypted, and never hands them out', () => {
    const folder = tempDir('si-prof-');
    const store = new ProfileStore(folder, keyring);
    const saved = store.save({ ...server, password: 'hunter2-secret' });
    expect(saved).toMatchObject({ name: 'Prod', hasPassword: true });
    expect(JSON.stringify(store.list())).not.toContain('hunter2');
    const file = readFileSync(join(folder, 'profiles.json'), 'utf8');
    expect(file).not.toContain('hunter2-secret');
    expect(statSync(join(folder, 'profiles.json')).mode & 0o077).toBe(0);
    expect(store.password(saved.id)).toBe('hunter2-secret');
    // Editing without a password keeps it; '' forgets it.
    store.save({ ...server, id: saved.id, name: 'Production' });
    expect(store.password(saved.id)).toBe('hunter2-secret');
    // Pointed at another server, a profile does not take the stored password along.
    const moved = store.save({ ...server, id: saved.id, host: 'attacker.example' });
    expect(moved.hasPassword).toBe(false);
    expect(store.password(saved.id)).toBeUndefined();
    store.save({ ...server, id: saved.id, password: 'hunter2-secret' });
    store.save({ ...server, id: saved.id, password: '' });
    expect(store.password(saved.id)).toBeUndefined();
    expect(store.get(saved.id).hasPassword).toBe(false);
  });

  it('keeps an SSH key passphrase encrypted, with its key: a new key file forgets it', () => {
    const folder = tempDir('si-prof-');
    const store = new ProfileStore(folder, keyring);
    const ssh = { host: 'bastion.example.org', port: 22, user: 'deploy', keyFile: '/home/me/.ssh/id_ed25519' };
    const saved = store.save({ ...server, ssh, sshPassphrase: 'correct horse battery' });
    expect(saved).toMatchObject({ ssh, hasSshPassphrase: true });
    expect(readFileSync(join(folder, 'profiles.json'), 'utf8')).not.toContain('correct horse');
    expect(JSON.stringify(store.list())).not.toContain('correct horse');
    expect(store.sshPassphrase(saved.id)).toBe('correct horse battery');
    // Renamed, same key: kept. Another key file: forgotten, not tried on the new key.
    store.save({ ...server, id: saved.id, name: 'Prod via bastion', ssh });
    expect(store.sshPassphrase(saved.id)).toBe('correct horse battery');
    expect(store.save({ ...server, id: saved.id, ssh: { ...ssh, keyFile: '/home/me/.ssh/other' } }).hasSshPassphrase).toBe(false);
    expect(store.sshPassphrase(saved.id)).toBeUndefined();
    // The database password does not follow the profile through another SSH server, nor
    // out of the tunnel: `db` behind one bastion is not `db` behind another.
    const behind = store.save({ ...server, ssh, password: 'hunter2-secret' });
    expect(store.save({ ...server, id: behind.id, ssh }).hasPassword).toBe(true);
    expect(store.save({ ...server, id: behind.id, ssh: { ...ssh, host: 'bastion.attacker.example' } }).hasPassword).toBe(false);
    store.save({ ...server, id: behind.id, ssh, password: 'hunter2-secret' });
    expect(store.save({ ...server, id: behind.id }).hasPassword).toBe(false);
    // The agent (no key file): there is no passphrase to keep.
    expect(store.save({ ...server, ssh: { host: 'b', port: 22, user: 'u' }, sshPassphrase: 'x' }).hasSshPassphrase).toBe(false);
  });

  it('stores no password at all where the OS has no keyring (basic_text)', () => {
    const folder = tempDir('si-prof-');
    const store = new ProfileStore(folder, NO_SECRET_BOX);
    const saved = store.save({ ...server, password: 'hunter2-secret' });
    expect(saved.hasPassword).toBe(false);
    expect(readFileSync(join(folder, 'profiles.json'), 'utf8')).not.toContain('hunter2');
    expect(store.password(saved.id)).toBeUndefined();
  });

  it('edits, lists by name and deletes', () => {
    const store = new ProfileStore(tempDir('si-prof-'), keyring);
    const b = store.save({ name: 'b site', engine: 'sqlite', file: '/srv/b.sqlite', prefix: 'pre', readOnly: true, superUser: false });
    store.save({ ...server, name: 'a site' });
    expect(store.list().map((p) => p.name)).toEqual(['a site', 'b site']);
    expect(store.get(b.id)).toMatchObject({ engine: 'sqlite', file: '/srv/b.sqlite', prefix: 'pre', readOnly: true, superUser: false });
    store.delete(b.id);
    expect(store.list()).toHaveLength(1);
    expect(() => store.get(b.id)).toThrow(/no longer exists/);
  });
});
