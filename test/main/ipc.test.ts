/**
 * The main process' IPC boundary without Electron: a fake ipcMain receives the real
 * registrations, and requests arrive as the renderer (or an intruder) would send them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { registerIpc, type IpcMainLike } from '../../src/main/app/register-ipc.js';
import { CHANNELS, createDispatcher, type IpcEventLike } from '../../src/main/ipc/dispatcher.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { CHANNELS as CONTRACT_CHANNELS } from '../../src/shared/ipc/contract.js';
import { tempDirs } from '../support/temp.js';

/** Temporary folders of this file, removed when its tests are done. */
const tempDir = tempDirs();

const APP_PAGE = 'file:///opt/session-inspector/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, payload: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcEventLike, payload: unknown) => Promise<unknown>) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, payload?: unknown, url: string | null = APP_PAGE) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler for '${channel}'`);
    return handler({ senderFrame: url === null ? null : { url } }, payload) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  }
}

let ipc: FakeIpcMain;
let service: ConsoleService;

beforeEach(() => {
  ipc = new FakeIpcMain();
  service = new ConsoleService({ dataHome: tempDir('si-ipc-'), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
  registerIpc(
    ipc,
    createDispatcher(service.handlers(), { isTrustedSender: (url) => url === APP_PAGE, isSignedIn: () => service.signedIn }),
  );
});

describe('IPC registration', () => {
  it('registers exactly the contract\'s channels, which are exactly the preload\'s', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect([...CONTRACT_CHANNELS].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers {ok: true, value} for a good request from the app\'s page', async () => {
    expect(await ipc.invoke('listProfiles')).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke('status')).toEqual({ ok: true, value: { connection: null, operator: null, canStorePasswords: false } });
  });
});

describe('senders', () => {
  it.each([
    ['another web page', 'https://evil.example/index.html'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a lookalike path', 'file:///opt/session-inspector/out/renderer/index.html.evil'],
    ['an empty URL', ''],
    ['no frame at all', null],
  ])('refuses %s', async (_name, url) => {
    const answer = await ipc.invoke('listProfiles', undefined, url);
    expect(answer).toEqual({ ok: false, error: { code: 'ACCESS_DENIED', message: expect.stringMatching(/app's own page/) } });
  });
});

describe('malformed payloads are refused without a throw', () => {
  it.each([
    ['signIn', null],
    ['signIn', 'admin'],
    ['signIn', { name: 'admin' }],
    ['signIn', { name: 'admin', password: 5 }],
    ['signIn', { name: 'admin', password: 'x', extra: true }],
    ['signIn', { name: 'a'.repeat(61), password: 'x' }],
    ['searchUsers', { text: 'a', limit: 1e9, offset: 0 }],
    ['searchUsers', { text: 'a', limit: 10, offset: -1 }],
    ['searchUsers', { text: { $gt: '' }, limit: 10, offset: 0 }],
    ['listSessions', { uid: '1' }],
    ['listSessions', { uid: 0 }],
    ['listSessions', { uid: 1.5 }],
    ['revokeSessions', { uid: 1, sids: [] }],
    ['revokeSessions', { uid: 1, sids: ['a b'] }],
    ['revokeSessions', { uid: 1, sids: 'abc' }],
    ['revokeSessions', { uid: 1, sids: Array.from({ length: 501 }, (_, i) => `s${i}`) }],
    ['revokeAllSessions', { uid: 1 }],
    ['saveProfile', { name: 'x', engine: 'oracle', prefix: '', readOnly: false, superUser: true }],
    ['saveProfile', { name: 'x', engine: 'sqlite', prefix: '', readOnly: false, superUser: true }],
    ['saveProfile', { name: 'x', engine: 'pgsql', prefix: '', readOnly: false, superUser: true, host: 'h' }],
    ['saveProfile', { name: 'x', engine: 'pgsql', prefix: '', readOnly: false, superUser: true, host: 'h', port: 5432, database: 'd', user: 'u', ssh: { host: 'a b,*', port: 22, user: 'u' } }],
    ['saveProfile', { name: 'x', engine: 'pgsql', prefix: '', readOnly: false, superUser: true, host: 'h', port: 5432, database: 'd', user: 'u', ssh: { host: 'b', port: 22, user: 'u@x' } }],
    ['trustSshHostKey', { host: '*', port: 22, fingerprint: `SHA256:${'A'.repeat(43)}` }],
    ['trustSshHostKey', { host: 'b', port: 22, fingerprint: 'MD5:aa' }],
    ['deleteProfile', { id: '../../etc/passwd' }],
    ['connect', { profileId: 'x', password: 7 }],
    ['status', { unexpected: true }],
    ['listAudit', { limit: 0 }],
  ])('%s %j', async (channel, payload) => {
    const answer = await ipc.invoke(channel, payload);
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe('INVALID_REQUEST');
    expect(answer.error?.message).toMatch(/^Invalid request/);
  });

  it('survives payloads that are hostile objects', async () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "name": "a", "password": "b"}');
    expect((await ipc.invoke('signIn', proto)).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.password = cyclic;
    expect((await ipc.invoke('signIn', cyclic)).error?.code).toBe('INVALID_REQUEST');
  });
});

describe('before sign-in', () => {
  it.each([
    ['searchUsers', { text: '', limit: 10, offset: 0 }],
    ['listSessions', { uid: 1 }],
    ['revokeSessions', { uid: 1, sids: ['abc'] }],
    ['revokeAllSessions', { uid: 1, confirmName: 'admin' }],
    ['listAudit', { limit: 10 }],
    ['listSiteSessions', { filter: {}, limit: 10, offset: 0 }],
    ['previewRevokeMatching', { filter: { ip: '10.0.0.0/8' } }],
    ['revokeMatching', { previewId: 'abc', confirmCount: 1 }],
  ])('%s is refused', async (channel, payload) => {
    expect(await ipc.invoke(channel, payload)).toEqual({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'Sign in first.' } });
  });

  it('sign-in needs a connection first', async () => {
    expect(await ipc.invoke('signIn', { name: 'admin', password: 'x' })).toEqual({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: 'Connect to a site first.' },
    });
  });
});

describe('after sign-in, on the demo site', () => {
  it('checks the typed username of "revoke all" in the main process', async () => {
    expect((await ipc.invoke('openDemo')).ok).toBe(true);
    expect(await ipc.invoke('signIn', { name: 'admin', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'SIGN_IN_FAILED' } });
    expect(await ipc.invoke('signIn', { name: 'ADMIN', password: 'demo-admin' })).toMatchObject({ ok: true, value: { uid: 1, canInspectOther: true } });
    const wrongName = await ipc.invoke('revokeAllSessions', { uid: 3, confirmName: 'admin' });
    expect(wrongName).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/Type the username "jdoe"/) } });
    expect(await ipc.invoke('listSessions', { uid: 3 })).toMatchObject({ ok: true, value: { sessions: { length: 4 } } });
    expect(await ipc.invoke('revokeAllSessions', { uid: 3, confirmName: ' JDOE ' })).toMatchObject({ ok: true, value: { revoked: { length: 4 } } });
    expect(await ipc.invoke('revokeSessions', { uid: 3, sids: ['gone'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ipc.invoke('listAudit', { limit: 10 })).toMatchObject({ ok: true, value: { entries: { length: 4 }, damagedLines: 0 } });
    const mrossi = (await ipc.invoke('listSessions', { uid: 4 })) as { value: { sessions: Array<{ sid: string }> } };
    await ipc.invoke('revokeSessions', { uid: 4, sids: [mrossi.value.sessions[0]!.sid] });
    expect(await ipc.invoke('listAudit', { limit: 10 })).toMatchObject({ ok: true, value: { entries: { length: 5 } } });
    // An inspect-own operator sees only the revokes of their own sessions.
    await ipc.invoke('signOut');
    await ipc.invoke('signIn', { name: 'jdoe', password: 'demo-jdoe' });
    const own = (await ipc.invoke('listAudit', { limit: 10 })) as { ok: boolean; value: { entries: Array<{ target: { uid: number } }> } };
    expect(own.value.entries).toHaveLength(4);
    expect(own.value.entries.every((e) => e.target.uid === 3)).toBe(true);
    // Sign out closes the door again.
    await ipc.invoke('signOut');
    expect(await ipc.invoke('listSessions', { uid: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('does not let a sign-in that finishes after a reconnect count on the new site', async () => {
    await ipc.invoke('openDemo');
    const pending = ipc.invoke('signIn', { name: 'admin', password: 'demo-admin' });
    await ipc.invoke('openDemo'); // another connection while the password is being checked
    expect((await pending).ok).toBe(false);
    expect(service.signedIn).toBe(false);
    expect(await ipc.invoke('listSessions', { uid: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('revokes by criteria exactly what its preview matched, once, after the count is typed', async () => {
    await ipc.invoke('openDemo');
    await ipc.invoke('signIn', { name: 'support', password: 'demo-support' });
    const board = await ipc.invoke('listSiteSessions', { filter: { ip: '203.0.113.0/24' }, limit: 100, offset: 0 });
    expect(board).toMatchObject({ ok: true, value: { total: 4, totalIsExact: true } });
    // Filters are validated like every payload: unknown keys, wrong types, absurd sizes.
    for (const filter of [{ ip: 5 }, { bogus: true }, { states: ['asleep'] }, { user: { uid: -1 } }, { ip: 'x'.repeat(65) }]) {
      expect(await ipc.invoke('listSiteSessions', { filter, limit: 10, offset: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(await ipc.invoke('listSiteSessions', { filter: {}, limit: 1001, offset: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

    const preview = (await ipc.invoke('previewRevokeMatching', { filter: { ip: '203.0.113.0/24' } })) as { ok: boolean; value: { previewId: string; total: number; users: number } };
    expect(preview).toMatchObject({ ok: true, value: { total: 4, users: 3 } });
    const { previewId } = preview.value;
    expect(await ipc.invoke('revokeMatching', { previewId, confirmCount: 3 })).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/Type the number of sessions, 4/) } });
    expect(await ipc.invoke('revokeMatching', { previewId, confirmCount: 4 })).toEqual({ ok: true, value: { revoked: 4, alreadyGone: 0, users: 3, rememberMeRevoked: null } });
    // Used once.
    expect(await ipc.invoke('revokeMatching', { previewId, confirmCount: 4 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ipc.invoke('listSiteSessions', { filter: { ip: '203.0.113.0/24' }, limit: 100, offset: 0 })).toMatchObject({ ok: true, value: { total: 0 } });

    // A preview belongs to the sign-in it was made in.
    const stale = (await ipc.invoke('previewRevokeMatching', { filter: { ip: '192.0.2.0/24' } })) as { value: { previewId: string; total: number } };
    await ipc.invoke('signOut');
    await ipc.invoke('signIn', { name: 'support', password: 'demo-support' });
    expect(await ipc.invoke('revokeMatching', { previewId: stale.value.previewId, confirmCount: stale.value.total })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('tests unsaved connection fields without saving them', async () => {
    const demo = (await ipc.invoke('openDemo')) as { value: { connection: { description: string } } };
    const file = demo.value.connection.description.replace(/^sqlite:/, '');
    const fields = { name: 'Try', engine: 'sqlite', prefix: '', readOnly: true, superUser: true };
    expect(await ipc.invoke('testConnection', { profile: { ...fields, file: `${file}.missing` } })).toMatchObject({ ok: false, error: { code: 'DATABASE', message: expect.stringMatching(/No such SQLite file/) } });
    expect(await ipc.invoke('testConnection', { profile: { ...fields, file } })).toMatchObject({ ok: true, value: { readOnly: true } });
    expect(await ipc.invoke('testConnection', { profile: { ...fields, engine: 'pgsql' } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await ipc.invoke('listProfiles')).toEqual({ ok: true, value: [] });
  });

  it('exports only where a save dialog exists, and validates what to export', async () => {
    await ipc.invoke('openDemo');
    await ipc.invoke('signIn', { name: 'support', password: 'demo-support' });
    expect(await ipc.invoke('exportList', { kind: 'audit' })).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/save dialog/) } });
    expect(await ipc.invoke('exportList', { kind: 'everything' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await ipc.invoke('exportList', { kind: 'sessions', uid: 3, path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('never sends a secret to the renderer', async () => {
    await ipc.invoke('openDemo');
    await ipc.invoke('signIn', { name: 'admin', password: 'demo-admin' });
    const text = JSON.stringify([
      await ipc.invoke('status'),
      await ipc.invoke('searchUsers', { text: '', limit: 200, offset: 0 }),
      ...(await Promise.all([1, 2, 3, 4, 5, 6, 9, 14].map((uid) => ipc.invoke('listSessions', { uid })))),
      await ipc.invoke('listSiteSessions', { filter: { includeAnonymous: true }, limit: 1000, offset: 0 }),
      await ipc.invoke('previewRevokeMatching', { filter: { ip: '0.0.0.0/0' } }),
    ]);
    expect(text).not.toMatch(/\$S\$|\$2y\$|\$argon2|_sf2_meta|pass_reset_\d|"s":/);
  });
});
