/**
 * The main process' IPC boundary without Electron: a fake ipcMain receives the real
 * registrations, and requests arrive as the renderer (or an intruder) would send them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerIpc, type IpcMainLike } from '../../src/main/app/register-ipc.js';
import { CHANNELS, createDispatcher, type IpcEventLike } from '../../src/main/ipc/dispatcher.js';
import { ConsoleService } from '../../src/main/services/console-service.js';
import { NO_SECRET_BOX } from '../../src/main/services/secret-box.js';
import { BRIDGE_METHODS } from '../../src/shared/ipc/contract.js';

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
  service = new ConsoleService({ dataHome: mkdtempSync(join(tmpdir(), 'si-ipc-')), secrets: NO_SECRET_BOX, chooseSqliteFile: async () => null });
  registerIpc(
    ipc,
    createDispatcher(service.handlers(), { isTrustedSender: (url) => url === APP_PAGE, isSignedIn: () => service.signedIn }),
  );
});

describe('IPC registration', () => {
  it('registers exactly the contract\'s channels, which are exactly the preload\'s', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(Object.values(BRIDGE_METHODS).sort()).toEqual([...CHANNELS].sort());
  });

  it('answers {ok: true, value} for a good request from the app\'s page', async () => {
    expect(await ipc.invoke('profiles:list')).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke('app:status')).toEqual({ ok: true, value: { connection: null, operator: null, canStorePasswords: false } });
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
    const answer = await ipc.invoke('profiles:list', undefined, url);
    expect(answer).toEqual({ ok: false, error: { code: 'ACCESS_DENIED', message: expect.stringMatching(/app's own page/) } });
  });
});

describe('malformed payloads are refused without a throw', () => {
  it.each([
    ['auth:signIn', null],
    ['auth:signIn', 'admin'],
    ['auth:signIn', { name: 'admin' }],
    ['auth:signIn', { name: 'admin', password: 5 }],
    ['auth:signIn', { name: 'admin', password: 'x', extra: true }],
    ['auth:signIn', { name: 'a'.repeat(61), password: 'x' }],
    ['users:search', { text: 'a', limit: 1e9, offset: 0 }],
    ['users:search', { text: 'a', limit: 10, offset: -1 }],
    ['users:search', { text: { $gt: '' }, limit: 10, offset: 0 }],
    ['sessions:list', { uid: '1' }],
    ['sessions:list', { uid: 0 }],
    ['sessions:list', { uid: 1.5 }],
    ['sessions:revoke', { uid: 1, sids: [] }],
    ['sessions:revoke', { uid: 1, sids: ['a b'] }],
    ['sessions:revoke', { uid: 1, sids: 'abc' }],
    ['sessions:revoke', { uid: 1, sids: Array.from({ length: 501 }, (_, i) => `s${i}`) }],
    ['sessions:revokeAll', { uid: 1 }],
    ['profiles:save', { name: 'x', engine: 'oracle', prefix: '', readOnly: false, superUser: true }],
    ['profiles:save', { name: 'x', engine: 'sqlite', prefix: '', readOnly: false, superUser: true }],
    ['profiles:save', { name: 'x', engine: 'pgsql', prefix: '', readOnly: false, superUser: true, host: 'h' }],
    ['profiles:delete', { id: '../../etc/passwd' }],
    ['connection:open', { profileId: 'x', password: 7 }],
    ['app:status', { unexpected: true }],
    ['audit:recent', { limit: 0 }],
  ])('%s %j', async (channel, payload) => {
    const answer = await ipc.invoke(channel, payload);
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe('INVALID_REQUEST');
    expect(answer.error?.message).toMatch(/^Invalid request/);
  });

  it('survives payloads that are hostile objects', async () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "name": "a", "password": "b"}');
    expect((await ipc.invoke('auth:signIn', proto)).ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.password = cyclic;
    expect((await ipc.invoke('auth:signIn', cyclic)).error?.code).toBe('INVALID_REQUEST');
  });
});

describe('before sign-in', () => {
  it.each([
    ['users:search', { text: '', limit: 10, offset: 0 }],
    ['sessions:list', { uid: 1 }],
    ['sessions:revoke', { uid: 1, sids: ['abc'] }],
    ['sessions:revokeAll', { uid: 1, confirmName: 'admin' }],
    ['audit:recent', { limit: 10 }],
  ])('%s is refused', async (channel, payload) => {
    expect(await ipc.invoke(channel, payload)).toEqual({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'Sign in first.' } });
  });

  it('sign-in needs a connection first', async () => {
    expect(await ipc.invoke('auth:signIn', { name: 'admin', password: 'x' })).toEqual({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: 'Connect to a site first.' },
    });
  });
});

describe('after sign-in, on the demo site', () => {
  it('checks the typed username of "revoke all" in the main process', async () => {
    expect((await ipc.invoke('connection:openDemo')).ok).toBe(true);
    expect(await ipc.invoke('auth:signIn', { name: 'admin', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'SIGN_IN_FAILED' } });
    expect(await ipc.invoke('auth:signIn', { name: 'ADMIN', password: 'demo-admin' })).toMatchObject({ ok: true, value: { uid: 1, canInspectOther: true } });
    const wrongName = await ipc.invoke('sessions:revokeAll', { uid: 3, confirmName: 'admin' });
    expect(wrongName).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/Type the username "jdoe"/) } });
    expect(await ipc.invoke('sessions:list', { uid: 3 })).toMatchObject({ ok: true, value: { sessions: { length: 4 } } });
    expect(await ipc.invoke('sessions:revokeAll', { uid: 3, confirmName: ' JDOE ' })).toMatchObject({ ok: true, value: { revoked: { length: 4 } } });
    expect(await ipc.invoke('sessions:revoke', { uid: 3, sids: ['gone'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ipc.invoke('audit:recent', { limit: 10 })).toMatchObject({ ok: true, value: { entries: { length: 4 }, damagedLines: 0 } });
    const mrossi = (await ipc.invoke('sessions:list', { uid: 4 })) as { value: { sessions: Array<{ sid: string }> } };
    await ipc.invoke('sessions:revoke', { uid: 4, sids: [mrossi.value.sessions[0]!.sid] });
    expect(await ipc.invoke('audit:recent', { limit: 10 })).toMatchObject({ ok: true, value: { entries: { length: 5 } } });
    // An inspect-own operator sees only the revokes of their own sessions.
    await ipc.invoke('auth:signOut');
    await ipc.invoke('auth:signIn', { name: 'jdoe', password: 'demo-jdoe' });
    const own = (await ipc.invoke('audit:recent', { limit: 10 })) as { ok: boolean; value: { entries: Array<{ target: { uid: number } }> } };
    expect(own.value.entries).toHaveLength(4);
    expect(own.value.entries.every((e) => e.target.uid === 3)).toBe(true);
    // Sign out closes the door again.
    await ipc.invoke('auth:signOut');
    expect(await ipc.invoke('sessions:list', { uid: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('does not let a sign-in that finishes after a reconnect count on the new site', async () => {
    await ipc.invoke('connection:openDemo');
    const pending = ipc.invoke('auth:signIn', { name: 'admin', password: 'demo-admin' });
    await ipc.invoke('connection:openDemo'); // another connection while the password is being checked
    expect((await pending).ok).toBe(false);
    expect(service.signedIn).toBe(false);
    expect(await ipc.invoke('sessions:list', { uid: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('never sends a secret to the renderer', async () => {
    await ipc.invoke('connection:openDemo');
    await ipc.invoke('auth:signIn', { name: 'admin', password: 'demo-admin' });
    const text = JSON.stringify([
      await ipc.invoke('app:status'),
      await ipc.invoke('users:search', { text: '', limit: 200, offset: 0 }),
      ...(await Promise.all([1, 2, 3, 4, 5, 6, 9, 14].map((uid) => ipc.invoke('sessions:list', { uid })))),
    ]);
    expect(text).not.toMatch(/\$S\$|\$2y\$|\$argon2|_sf2_meta|pass_reset_\d|"s":/);
  });
});
