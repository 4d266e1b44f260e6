/**
 * The renderer's store, driven through a fake bridge: no browser, no main process.
 * What it must get right: late answers of a previous context are dropped, only the
 * latest search counts, selections and dialogs follow the sessions that still exist,
 * and an operator who lost access is told so.
 */
import { describe, expect, it } from 'vitest';
import { createConsoleStore } from '../../src/renderer/app/console-store';
import type { OperatorInfo, SessionInfo, UserPage, UserSessions } from '../../src/shared/domain';
import type { Result } from '../../src/shared/errors';
import { CHANNELS, type Bridge } from '../../src/shared/ipc/contract';

const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
const operator: OperatorInfo = { uid: 1, name: 'admin', roles: ['authenticated'], canInspectOwn: true, canInspectOther: true, canAdministerUsers: false };
const session = (sid: string): SessionInfo => ({
  sid, hostname: '192.0.2.1', timestamp: 100, created: 50, lifetime: null, state: 'active', masqueradeBy: null, browser: null, client: null, passwordReset: false, readable: true, country: null, addressKind: 'documentation',
});
const page = (names: string[]): UserPage => ({
  total: names.length,
  totalIsExact: true,
  users: names.map((name, i) => ({ uid: i + 2, name, mail: null, status: 'active', roles: [], created: null, access: null, login: null, sessionCount: 0 })),
});
const sessionsOf = (sids: string[]): UserSessions => ({
  asOf: 100, user: page(['bob']).users[0]!, sessions: sids.map(session), total: sids.length, offset: 0, byState: { active: sids.length, idle: 0, stale: 0 }, rememberMe: null,
});

/** A bridge whose every method answers `ok(null)` unless given another answer. */
function fakeBridge(overrides: Partial<Record<keyof Bridge, (request?: unknown) => Promise<Result<unknown>>>>): Bridge {
  return Object.fromEntries(CHANNELS.map((c) => [c, overrides[c] ?? (async () => ok(null))])) as unknown as Bridge;
}

/** A promise to settle later, from the test. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the console store', () => {
  it('drops a sign-in that completes after signing out', async () => {
    const pending = later<Result<OperatorInfo>>();
    const store = createConsoleStore(fakeBridge({ signIn: () => pending.promise, searchUsers: async () => ok(page([])) }));
    const signingIn = store.getState().signIn('admin', 'pw');
    expect(store.getState().busy).toBe('signing-in');
    await store.getState().signOut();
    pending.resolve(ok(operator));
    await signingIn;
    expect(store.getState().operator).toBeNull();
    expect(store.getState().screen).toBe('signIn');
  });

  it('keeps only the answer to the latest search', async () => {
    const first = later<Result<UserPage>>();
    const second = later<Result<UserPage>>();
    const answers = [first.promise, second.promise];
    const store = createConsoleStore(fakeBridge({ searchUsers: () => answers.shift()! }));
    const a = store.getState().search('al');
    const b = store.getState().search('alice');
    second.resolve(ok(page(['alice'])));
    await b;
    first.resolve(ok(page(['al', 'alan'])));
    await a;
    expect(store.getState().users.data?.users.map((u) => u.name)).toEqual(['alice']);
  });

  it('keeps selections and dialogs to sessions that still exist', async () => {
    const lists = [sessionsOf(['a', 'b', 'c']), sessionsOf(['a', 'c'])];
    const store = createConsoleStore(fakeBridge({ listSessions: async () => ok(lists.shift()!) }));
    await store.getState().selectUser(2);
    store.getState().setSelection(['a', 'b']);
    store.getState().openDialog({ kind: 'revoke', sids: ['b', 'c'] });
    await store.getState().refreshSessions();
    expect(store.getState().selection).toEqual(['a']);
    expect(store.getState().dialog).toEqual({ kind: 'revoke', sids: ['c'] });
  });

  it('closes a revoke whose sessions all ended meanwhile, saying so', async () => {
    const lists = [sessionsOf(['a']), sessionsOf([])];
    const store = createConsoleStore(
      fakeBridge({
        listSessions: async () => ok(lists.shift()!),
        revokeSessions: async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } }),
      }),
    );
    await store.getState().selectUser(2);
    store.getState().openDialog({ kind: 'revoke', sids: ['a'] });
    await store.getState().confirmRevoke();
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().notice).toMatch(/already ended/);
    expect(store.getState().revoking).toBe(false);
  });

  it('shows the access-denied screen when the operator lost all access', async () => {
    const denied = { code: 'ACCESS_DENIED' as const, message: 'Your Drupal account "admin" has been blocked.' };
    const store = createConsoleStore(
      fakeBridge({
        searchUsers: async () => ({ ok: false, error: denied }),
        status: async () => ok({ connection: null, operator: null, canStorePasswords: false }),
      }),
    );
    await store.getState().search('x');
    expect(store.getState().operatorDenied).toEqual(denied);
  });

  it('sorts sessions by the chosen column, toggling the direction', () => {
    const store = createConsoleStore(fakeBridge({}));
    store.getState().setSort('hostname');
    expect(store.getState().sort).toEqual({ key: 'hostname', descending: false });
    store.getState().setSort('hostname');
    expect(store.getState().sort).toEqual({ key: 'hostname', descending: true });
  });

  it('shows the last page left when the page on screen empties, and only the latest page asked for', async () => {
    const pageOf = (offset: number, total: number, sids: string[]): UserSessions => ({ ...sessionsOf(sids), offset, total });
    const answers: Array<Promise<Result<UserSessions>>> = [];
    const store = createConsoleStore(fakeBridge({ listSessions: () => answers.shift()! }));
    // Page 2 of 501 holds one session; it is revoked elsewhere, the refresh finds page 2 empty.
    answers.push(Promise.resolve(ok(pageOf(0, 501, ['first']))));
    await store.getState().selectUser(2);
    answers.push(Promise.resolve(ok(pageOf(500, 501, ['last']))));
    await store.getState().showSessionsPage(500);
    expect(store.getState().sessions.data?.offset).toBe(500);
    answers.push(Promise.resolve(ok(pageOf(500, 500, []))), Promise.resolve(ok(pageOf(0, 500, ['first']))));
    await store.getState().refreshSessions();
    expect(store.getState().sessions.data).toMatchObject({ offset: 0, total: 500, sessions: [{ sid: 'first' }] });
    // Two pages asked for quickly: the older answer arrives last and is dropped.
    const older = later<Result<UserSessions>>();
    const newer = later<Result<UserSessions>>();
    answers.push(older.promise, newer.promise);
    const a = store.getState().showSessionsPage(500);
    const b = store.getState().showSessionsPage(0);
    newer.resolve(ok(pageOf(0, 900, ['newer'])));
    await b;
    older.resolve(ok(pageOf(500, 900, ['older'])));
    await a;
    expect(store.getState().sessions.data?.sessions.map((s) => s.sid)).toEqual(['newer']);
  });

  it('asks to trust an unknown SSH host key, and after trusting connects again; Cancel does not', async () => {
    const hostKey = { host: 'bastion.example.org', port: 22, type: 'ssh-ed25519', fingerprint: 'SHA256:abc', status: 'unknown' as const };
    const refused = { ok: false as const, error: { code: 'SSH_HOST_KEY' as const, message: 'not known yet', hostKey } };
    const connection = { profileName: 'Behind the bastion', description: 'postgres://u@db/site', engine: 'pgsql' as const, readOnly: false, hasWatchdog: false, hasSessionsTable: true, asOf: null, snapshot: null, production: false, encrypted: true };
    const answers: Result<unknown>[] = [refused, refused, ok(connection)];
    const trusted: unknown[] = [];
    const store = createConsoleStore(fakeBridge({
      connect: async () => answers.shift()!,
      // As over IPC: a handler that returns nothing answers null.
      trustSshHostKey: async (request) => (trusted.push(request), ok(null)),
    }));
    await store.getState().connect('p1');
    expect(store.getState().hostKeyPrompt?.key).toEqual(hostKey);
    expect(store.getState().error).toBeNull();
    store.getState().dismissHostKey();
    expect(store.getState().hostKeyPrompt).toBeNull();
    expect(trusted).toEqual([]);
    await store.getState().connect('p1');
    await store.getState().trustHostKey();
    expect(trusted).toEqual([{ host: 'bastion.example.org', port: 22, fingerprint: 'SHA256:abc' }]);
    expect(store.getState().connection).toEqual(connection);
    expect(store.getState().screen).toBe('signIn');
  });
});
