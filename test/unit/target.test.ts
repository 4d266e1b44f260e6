import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli, parseAsOf, parseUserRef } from '../../src/cli/args.js';
import { parsePrefix } from '../../src/core/db/identifiers.js';
import { describeTarget, parseTarget } from '../../src/core/db/target.js';
import { relativeTime, exactUtc } from '../../src/shared/time.js';
import { defaultTlsMode, effectiveTlsMode, parseTlsMode } from '../../src/shared/tls.js';
import { parseSshAddress } from '../../src/shared/ssh.js';
import { checkHostKey, hostKeyFromBlob, recordedHostKeys } from '../../src/core/ssh/known-hosts.js';
import { agentSocket } from '../../src/core/ssh/tunnel.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('connection targets', () => {
  it('reads SQLite paths and URLs for every engine', () => {
    expect(parseTarget('/srv/site/db.sqlite')).toEqual({ engine: 'sqlite', file: '/srv/site/db.sqlite' });
    expect(parseTarget('sqlite:relative/db.sqlite')).toEqual({ engine: 'sqlite', file: 'relative/db.sqlite' });
    expect(parseTarget('postgres://drupal@db.example.com/site')).toEqual({ engine: 'pgsql', host: 'db.example.com', port: 5432, database: 'site', user: 'drupal' });
    expect(parseTarget('postgresql://u:p%40ss@127.0.0.1:6543/d')).toMatchObject({ engine: 'pgsql', port: 6543, password: 'p@ss' });
    expect(parseTarget('mysql://u@[::1]/d')).toMatchObject({ engine: 'mysql', host: '::1', port: 3306 });
    expect(parseTarget('mariadb://u@h:3307/d', 'from-env')).toMatchObject({ engine: 'mysql', port: 3307, password: 'from-env' });
  });

  it('never shows the password when describing a target', () => {
    const target = parseTarget('mysql://drupal:hunter2@db:3306/site');
    expect(describeTarget(target)).toBe('mysql://drupal@db:3306/site');
    expect(describeTarget(parseTarget('postgres://u@db/site', 'envsecret'))).not.toContain('envsecret');
  });

  it('reads sqlite:///absolute/path as a URL would', () => {
    expect(parseTarget('sqlite:///srv/db.sqlite')).toEqual({ engine: 'sqlite', file: '/srv/db.sqlite' });
  });

  it('explains malformed targets', () => {
    expect(() => parseTarget('postgres://u:p%zz@h/db')).toThrow(/malformed %-escape/);
    expect(() => parseTarget('oracle://u@h/d')).toThrow(/Unknown database URL scheme/);
    expect(() => parseTarget('postgres://host-only')).toThrow(/needs a user, a host and a database/);
    expect(() => parseTarget('  ')).toThrow(/No database given/);
  });
});

describe('TLS settings', () => {
  it('reads libpq and MySQL parameter names in a URL of either engine', () => {
    expect(parseTarget('postgres://u@db/d?sslmode=verify-ca&sslrootcert=/etc/ca.pem&sslcert=c.pem&sslkey=k.pem')).toMatchObject({
      tls: { mode: 'verify-ca', ca: '/etc/ca.pem', cert: 'c.pem', key: 'k.pem' },
    });
    expect(parseTarget('mysql://u@db/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fetc%2Fca.pem')).toMatchObject({ tls: { mode: 'verify-full', ca: '/etc/ca.pem' } });
    expect(parseTarget('mariadb://u@db/d?ssl-mode=REQUIRED')).toMatchObject({ tls: { mode: 'require' } });
    expect(parseTarget('postgres://u@db/d?sslmode=DISABLE')).toMatchObject({ tls: { mode: 'disable' } });
    expect(parseTarget('postgres://u@db/d')).not.toHaveProperty('tls');
  });

  it('refuses what it would otherwise ignore: an unknown parameter or mode, half a client certificate', () => {
    expect(() => parseTarget('postgres://u@db/d?sslmode=strict')).toThrow(/Unknown TLS mode "strict" in the database URL's "sslmode": use disable, prefer, require, verify-ca, verify-full/);
    expect(() => parseTarget('postgres://u@db/d?pgbouncer=true')).toThrow(/parameter Session Inspector does not know \("pgbouncer"\)/);
    expect(() => parseTarget('postgres://u@db/d?sslcert=c.pem')).toThrow(/needs its key/);
    expect(() => parseTarget('postgres://u@db/d?sslrootcert=')).toThrow(/is empty/);
  });

  it('verifies in full by default, except on this computer', () => {
    for (const host of ['db.example.com', '10.0.0.5', '2001:db8::1', 'localhost.example.com']) expect(defaultTlsMode(host)).toBe('verify-full');
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'db.localhost']) expect(defaultTlsMode(host)).toBe('prefer');
    expect(effectiveTlsMode('db.example.com', { mode: 'disable' })).toBe('disable');
    expect(parseTlsMode(' Preferred ', 'x')).toBe('prefer');
  });

  it('reads every example of the README\'s "Connecting to production"', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Connecting to production'), readme.indexOf('### Snapshot audits'));
    const commands = section.split('\n').filter((line) => line.startsWith('session-inspector '));
    expect(commands.length).toBeGreaterThanOrEqual(7);
    for (const command of commands) {
      // The shell's words: 'quoted' or bare.
      const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
      const args = parseCli(words);
      const target = parseTarget(args.db);
      expect(target.engine, command).not.toBe('sqlite');
      const tls = { ...(target.engine !== 'sqlite' ? target.tls : {}), ...args.tls };
      if (command.includes('--ssh ')) expect(args.ssh, command).toMatchObject({ user: 'deploy', host: 'bastion.example.com' });
      else expect(tls.mode, command).toMatch(/^(disable|verify-ca|verify-full)$/);
    }
  });

  it('takes the same settings as flags, which win over the URL', () => {
    expect(parseCli(['--db', 'postgres://u@db/d', '--as', 'a', '--sslmode', 'VERIFY_CA', '--sslrootcert', 'ca.pem', 'whoami']).tls).toEqual({ mode: 'verify-ca', ca: 'ca.pem' });
    expect(() => parseCli(['--db', 'x', '--as', 'a', '--sslmode', 'on', 'whoami'])).toThrow(/Unknown TLS mode "on" in --sslmode/);
    expect(() => parseCli(['--db', 'x', '--as', 'a', '--sslkey', 'k.pem', 'whoami'])).toThrow(/give both --sslcert and --sslkey/);
    expect(() => parseCli(['--db', 'x', '--as', 'a', '--ssl-mode', 'require', 'whoami'])).toThrow(/Unknown option --ssl-mode\..*--sslmode/);
  });
});

describe('SSH tunnels', () => {
  it('reads user@host[:port], IPv6 in brackets', () => {
    expect(parseSshAddress('deploy@bastion.example.com')).toEqual({ user: 'deploy', host: 'bastion.example.com', port: 22 });
    expect(parseSshAddress(' deploy@10.0.0.1:2222 ')).toEqual({ user: 'deploy', host: '10.0.0.1', port: 2222 });
    expect(parseSshAddress('me@[2001:db8::1]:22')).toEqual({ user: 'me', host: '2001:db8::1', port: 22 });
    for (const bad of ['bastion', '@host', 'u@', 'u@h:0', 'u@h:70000', 'u@h:x']) expect(() => parseSshAddress(bad)).toThrow(/--ssh takes user@host or user@host:port/);
  });

  it('asks the agent at SSH_AUTH_SOCK, else on Windows its built-in OpenSSH agent', () => {
    expect(agentSocket({ SSH_AUTH_SOCK: '/run/user/1000/agent.sock' }, 'linux')).toBe('/run/user/1000/agent.sock');
    expect(agentSocket({}, 'linux')).toBeUndefined();
    expect(agentSocket({ SSH_AUTH_SOCK: '' }, 'darwin')).toBeUndefined();
    expect(agentSocket({}, 'win32')).toBe('\\\\.\\pipe\\openssh-ssh-agent');
  });

  it('reads known_hosts as OpenSSH does: ports in brackets, wildcards, negations, @revoked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-known-'));
    try {
      const blob = (fill: number) => Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]);
      const key = hostKeyFromBlob(blob(1));
      const other = blob(2).toString('base64');
      const file = join(dir, 'known_hosts');
      const check = (text: string, host = 'db.example.com', port = 22) => {
        writeFileSync(file, text);
        return checkHostKey([file, join(dir, 'missing')], host, port, key).status;
      };
      const mine = blob(1).toString('base64');
      expect(check(`db.example.com ssh-ed25519 ${mine}\n`)).toBe('known');
      expect(check(`db.example.com ssh-ed25519 ${mine}\n`, 'db.example.com', 2222)).toBe('unknown');
      expect(check(`[db.example.com]:2222 ssh-ed25519 ${mine}\n`, 'db.example.com', 2222)).toBe('known');
      expect(check(`*.example.com,!db.example.com ssh-ed25519 ${mine}\n`)).toBe('unknown');
      expect(check(`*.example.com ssh-ed25519 ${mine}\n`)).toBe('known');
      expect(check(`# comment\n\ndb.example.com ssh-ed25519 ${other}\n`)).toBe('changed');
      // A key of another type recorded for the host: this one is not the host's either
      // (the tunnel asks the server for the recorded types only).
      expect(check(`db.example.com ssh-rsa ${other}\n`)).toBe('changed');
      expect(recordedHostKeys([file], 'db.example.com', 22)).toEqual([{ type: 'ssh-rsa', file, line: 1 }]);
      expect(recordedHostKeys([file], 'other.example.com', 22)).toEqual([]);
      expect(check(`db.example.com ssh-ed25519 ${mine}\n@revoked * ssh-ed25519 ${mine}\n`)).toBe('revoked');
      // Hashed names, as OpenSSH hashes them: in lower case, whatever case was typed.
      const salt = Buffer.alloc(20, 7);
      const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('db.example.com').digest('base64')}`;
      expect(check(`${hashed} ssh-ed25519 ${mine}\n`, 'DB.Example.com')).toBe('known');
      expect(check(`${hashed} ssh-ed25519 ${other}\n`, 'DB.Example.com')).toBe('changed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('table prefixes', () => {
  it('accepts Drupal prefixes, with one dot for another schema', () => {
    expect(parsePrefix('', 'mysql')).toEqual({ namespace: null, tablePrefix: '' });
    expect(parsePrefix('D8', 'mysql')).toEqual({ namespace: null, tablePrefix: 'D8' });
    expect(parsePrefix('other.', 'pgsql')).toEqual({ namespace: 'other', tablePrefix: '' });
    expect(parsePrefix('other.pre_', 'pgsql')).toEqual({ namespace: 'other', tablePrefix: 'pre_' });
  });

  it.each(['x; DROP TABLE users', 'a.b.c', '.x', 'pre-fix', 'a"b', 'a`b', "a'b", 'x'.repeat(64)])('refuses %s', (prefix) => {
    expect(() => parsePrefix(prefix, 'mysql')).toThrow(/Invalid table prefix/);
  });

  it('refuses a dot in a SQLite prefix (there it names a file)', () => {
    expect(() => parsePrefix('other.', 'sqlite')).toThrow(/Invalid table prefix/);
  });
});

describe('command line', () => {
  const base = ['--db', 'site.sqlite', '--as', 'admin'];
  it('parses each command of the contract', () => {
    expect(parseCli([...base, 'whoami']).command).toEqual({ name: 'whoami' });
    expect(parseCli([...base, 'users', 'ann', '--limit', '5', '--offset', '10']).command).toEqual({ name: 'users', search: 'ann', limit: 5, offset: 10, contains: false });
    expect(parseCli([...base, 'sessions', 'uid:7']).command).toEqual({ name: 'sessions', user: { uid: 7 }, limit: 500, offset: 0 });
    expect(parseCli([...base, 'revoke', 'bob', 'sid1', 'sid2']).command).toEqual({ name: 'revoke', user: { name: 'bob' }, sids: ['sid1', 'sid2'], block: false });
    expect(parseCli(['revoke', 'bob', '--all', ...base, '--yes', '--json']).command).toEqual({ name: 'revoke', user: { name: 'bob' }, sids: 'all', block: false });
    const options = parseCli([...base, '--read-only', '--no-super-user', '--gc-maxlifetime', '3600', '--as-of', '2026-11-20T00:00:00Z', '--prefix', 'D8', 'whoami']);
    expect(options).toMatchObject({ readOnly: true, superUser: false, gcMaxlifetime: 3600, asOf: 1795132800, prefix: 'D8' });
  });

  it.each([
    [[], /No command/],
    [['frobnicate'], /Unknown command/],
    [['revoke', 'bob'], /needs session ids, or --all/],
    [['revoke', 'bob', 'sid', '--all'], /either session ids or --all/],
    [['sessions'], /sessions takes one user/],
    [['users', '--limit', '0'], /--limit takes a whole number/],
    // Never silently fewer than asked for.
    [['users', '--limit', '1000'], /--limit for users is at most 200/],
    [['sessions', 'bob', '--limit', '5000'], /--limit for sessions is at most 1000/],
    [['whoami', '--bogus'], /Unknown option/],
    [['whoami', '--as-of', 'last tuesday'], /--as-of takes a unix time or an ISO-8601 date/],
    [['whoami', '--as-of', '99999999999999'], /--as-of takes a unix time or an ISO-8601 date/],
    [['sessions', 'uid:abc'], /not a valid uid/],
    [['whoami', '--all'], /--all does not go with "whoami"/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseCli([...base, ...args])).toThrow(message);
  });

  it('requires --db and --as', () => {
    expect(() => parseCli(['--as', 'a', 'whoami'])).toThrow(/--db is required/);
    expect(() => parseCli(['--db', 'x', 'whoami'])).toThrow(/--as is required/);
  });

  it('reads as-of times and user references', () => {
    expect(parseAsOf('1790000000')).toBe(1790000000);
    expect(parseAsOf('2026-09-21')).toBe(1789948800);
    expect(parseAsOf('2026-09-21T14:13:20+00:00')).toBe(1790000000);
    expect(parseAsOf('2026-09-21 14:13:20')).toBe(1790000000);
    expect(parseUserRef('UID:12')).toEqual({ uid: 12 });
    expect(parseUserRef('Zoë')).toEqual({ name: 'Zoë' });
  });
});

describe('times', () => {
  it('reads as a person would say it, with the exact UTC time available', () => {
    expect(relativeTime(1000 - 30, 1000)).toBe('just now');
    expect(relativeTime(1000 - 180, 1000)).toBe('3 min ago');
    expect(relativeTime(1000 - 7200, 1000)).toBe('2 hours ago');
    expect(relativeTime(1000 - 86400, 1000)).toBe('1 day ago');
    expect(relativeTime(1000 + 7200, 1000)).toBe('in 2 hours');
    expect(relativeTime(null, 1000)).toBe('never');
    expect(exactUtc(1790000000)).toBe('2026-09-21 14:13:20 UTC');
  });
});
