/**
 * The desktop console's state in the main process: the open site, the signed-in
 * operator, and the operations the renderer may ask for. Plain Node: the Electron
 * layer passes in what only it has (the keyring, the file dialog, the native binding).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { OperatorInfo, SessionFilter, SiteDiff } from '../../shared/domain.js';
import { DEFAULT_PORTS } from '../../shared/engines.js';
import { isLoopbackHost } from '../../shared/tls.js';
import { homedir } from 'node:os';
import { knownHostsFile, rememberHostKey } from '../../core/ssh/known-hosts.js';
import { agentSocket, HostKeyFailure } from '../../core/ssh/tunnel.js';
import type { AppStatus, ConnectionInfo, ConnectRequest, DemoSite, Handlers, ImportProgress, MatchedRevokeCounts, Profile, ProfileInput, RevokePreview, CredentialFileKind } from '../../shared/ipc/contract.js';
import type { ConnectionTarget } from '../../core/db/target.js';
import { AppFailure } from '../../shared/errors.js';
import type { Inspector, Operator } from '../../core/inspector/inspector.js';
import { openInspector } from '../../core/inspector/open-inspector.js';
import { definedOnly } from '../../shared/objects.js';
import { createDemoSite } from '../../core/site-builder/demo-site.js';
import { importInWorker } from '../../core/dumps/import-worker.js';
import { deleteSnapshot, listSnapshots, pruneSnapshots } from '../../core/dumps/snapshot-store.js';
import { exportListing } from './exports.js';
import { Comparison } from './comparison.js';
import { ProfileStore } from './profiles.js';
import type { SecretBox } from './secret-box.js';

export interface ConsoleDeps {
  /** The per-user data folder (profiles, audit log, demo site). */
  dataHome: string;
  secrets: SecretBox;
  /** Native file dialog; null when cancelled. */
  chooseSqliteFile: () => Promise<string | null>;
  /** Native file dialog for a TLS certificate or key; absent (tests): none is chosen. */
  chooseCredentialFile?: (kind: CredentialFileKind) => Promise<string | null>;
  /** The operator's own known_hosts, read for SSH tunnels (default ~/.ssh/known_hosts; tests give another). */
  userKnownHostsFile?: string;
  /** better-sqlite3 built for Electron's ABI, when running in Electron. */
  sqliteNativeBinding?: string;
  /** The built SQLite worker: SQLite then never runs on the main thread (the app sets it). */
  sqliteWorker?: string;
  /** Why SQLite cannot be opened in this process (no binding for Electron's ABI). */
  sqliteUnavailable?: string;
  /** The clock; tests may fix it. */
  now?: () => number;
  /** The native save dialog for exports; null when cancelled. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>;
  /** The app's version, for export metadata. */
  version?: string;
  /** The operator's own MaxMind databases (SESSION_INSPECTOR_GEOIP). */
  geoip?: string[];
  /** The built dump-import worker: a dump is then imported off the main thread (the app sets it). */
  dumpWorker?: string;
}

/** The connection the console holds: the inspector on the open site, and what the renderer is told of it. */
interface OpenConnection {
  inspector: Inspector;
  info: ConnectionInfo;
}

/** How long a revoke-by-criteria preview waits for its confirmation, and how many are held. */
const PREVIEW_LIFETIME_MS = 10 * 60_000;
const MAX_HELD_PREVIEWS = 3;

const DEMO_PROFILE: Profile = {
  id: 'demo',
  name: 'Demo site',
  engine: 'sqlite',
  prefix: '',
  readOnly: false,
  superUser: true,
  hasPassword: false,
  hasSshPassphrase: false,
};

export class ConsoleService {
  readonly profiles: ProfileStore;
  private current: OpenConnection | null = null;
  private operator: Operator | null = null;
  /**
   * Bumped by every sign-out and every change of connection. A sign-in still checking
   * a password when either happens must not complete: it counts only if this number
   * is what it was when the sign-in began.
   */
  private authEpoch = 0;
  /** Revokes under way: while one runs, a cancel is refused (a revoke is never cut short). */
  private revokesRunning = 0;
  /**
   * Revokes by criteria matched and shown, waiting for their confirmation: the renderer
   * only ever names one by its id, and what is deleted is exactly what was matched. A
   * preview is used once, belongs to the sign-in it was made in, and expires.
   */
  private readonly previews = new Map<string, {
    epoch: number;
    operatorUid: number;
    sessions: Array<{ uid: number; sid: string }>;
    total: number;
    rememberMeOf: number | null;
    expires: number;
  }>();

  constructor(private readonly deps: ConsoleDeps) {
    this.profiles = new ProfileStore(deps.dataHome, deps.secrets);
  }

  get signedIn(): boolean {
    return this.operator !== null && this.current !== null;
  }

  private target(profile: Profile, password: string | undefined, sshPassphrase: string | undefined): ConnectionTarget {
    if (profile.engine === 'sqlite') return { engine: 'sqlite', file: profile.file ?? '' };
    const stored = this.profiles.password(profile.id);
    const passphrase = sshPassphrase || this.profiles.sshPassphrase(profile.id);
    const agent = agentSocket(process.env);
    return {
      engine: profile.engine,
      host: profile.host ?? '',
      port: profile.port ?? DEFAULT_PORTS[profile.engine],
      database: profile.database ?? '',
      user: profile.user ?? '',
      ...((password ?? stored) !== undefined ? { password: password ?? stored } : {}),
      ...(profile.tls ? { tls: profile.tls } : {}),
      ...(profile.ssh
        ? {
            ssh: {
              ...profile.ssh,
              // The CLI and the app trust the same hosts; the operator's own file is read, never written.
              knownHostsFile: knownHostsFile(this.deps.dataHome),
              userKnownHostsFile: this.deps.userKnownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'),
              ...definedOnly({ passphrase, agentSocket: agent }),
            },
          }
        : {}),
    } as ConnectionTarget;
  }

  /**
   * The SSH host key the last connection attempt was refused for, as the server presented
   * it: "trust" records this key and no other, for this host and no other.
   */
  private untrustedHostKey: HostKeyFailure | null = null;

  async trustSshHostKey(request: { host: string; port: number; fingerprint: string }): Promise<void> {
    const pending = this.untrustedHostKey;
    const info = pending?.hostKey;
    if (!pending || !info || info.status !== 'unknown' || info.host !== request.host || info.port !== request.port || info.fingerprint !== request.fingerprint) {
      throw new AppFailure('NOT_FOUND', 'That SSH host key is not the one the server presented: connect again to see its fingerprint.');
    }
    rememberHostKey(knownHostsFile(this.deps.dataHome), info.host, info.port, pending.key);
    this.untrustedHostKey = null;
  }

  private async open(profile: Profile, password?: string, sshPassphrase?: string): Promise<OpenConnection> {
    try {
      return await this.openSite(profile, password, sshPassphrase);
    } catch (error) {
      if (error instanceof HostKeyFailure) this.untrustedHostKey = error;
      throw error;
    }
  }

  private async openSite(profile: Profile, password?: string, sshPassphrase?: string): Promise<OpenConnection> {
    if (profile.engine === 'sqlite' && this.deps.sqliteUnavailable) {
      throw new AppFailure('DATABASE', this.deps.sqliteUnavailable);
    }
    // A dump is imported first (on a worker in the app): its progress is asked for by the
    // renderer while it waits, and Cancel stops it.
    const importing = new AbortController();
    this.importing = { controller: importing, progress: null };
    const inspector = await openInspector({
      target: this.target(profile, password, sshPassphrase),
      signal: importing.signal,
      onImportProgress: (progress) => {
        if (this.importing?.controller === importing) this.importing.progress = progress;
      },
      ...(this.deps.dumpWorker ? { dumpImporter: importInWorker(this.deps.dumpWorker) } : {}),
      prefix: profile.prefix,
      readOnly: profile.readOnly,
      dataHome: this.deps.dataHome,
      superUser: profile.superUser,
      ...definedOnly({
        schema: profile.schema || undefined,
        sqliteNativeBinding: this.deps.sqliteNativeBinding,
        sqliteWorker: this.deps.sqliteWorker,
        geoip: this.deps.geoip,
        gcMaxlifetime: profile.gcMaxlifetime,
        asOf: profile.asOf,
        now: this.deps.now,
      }),
    }).finally(() => {
      if (this.importing?.controller === importing) this.importing = null;
    });
    const { site } = inspector;
    const snapshot = inspector.snapshot;
    return {
      inspector,
      info: {
        profileName: profile.name,
        description: site.db.description,
        engine: profile.engine,
        readOnly: site.db.readOnly,
        hasWatchdog: site.tables.watchdog !== null,
        hasSessionsTable: site.tables.sessions !== null,
        asOf: profile.asOf ?? snapshot?.asOf ?? null,
        production: profile.production === true,
        // Through a tunnel to the SSH server's own database, only SSH crosses the network.
        encrypted: site.db.encrypted === false && profile.ssh !== undefined && isLoopbackHost(profile.host ?? '') ? true : (site.db.encrypted ?? null),
        snapshot: snapshot
          ? { source: snapshot.source.path, dialect: snapshot.dialect, madeAt: snapshot.asOf, madeAtFrom: snapshot.asOfFrom, zoneKnown: snapshot.dumpedAtZoneKnown }
          : null,
      },
    };
  }

  /** The dump being imported while connecting, if any: to show its progress, and to cancel it. */
  private importing: { controller: AbortController; progress: ImportProgress | null } | null = null;

  async importProgress(): Promise<ImportProgress | null> {
    return this.importing?.progress ?? null;
  }

  private async replace(next: OpenConnection | null): Promise<void> {
    const previous = this.current;
    this.current = next;
    this.signOut();
    await this.endComparison();
    await previous?.inspector.site.db.close();
  }

  private get connection(): OpenConnection {
    if (!this.current) throw new AppFailure('NOT_SIGNED_IN', 'Connect to a site first.');
    return this.current;
  }

  private get signedInOperator(): { inspector: Inspector; operator: Operator } {
    if (!this.operator || !this.current) throw new AppFailure('NOT_SIGNED_IN', 'Sign in first.');
    return { inspector: this.current.inspector, operator: this.operator };
  }

  async status(): Promise<AppStatus> {
    let operator: OperatorInfo | null = null;
    if (this.signedIn) {
      const { inspector, operator: op } = this.signedInOperator;
      operator = await inspector.whoami(op).catch(() => null);
    }
    return { connection: this.current?.info ?? null, operator, canStorePasswords: this.deps.secrets.available() };
  }

  async testConnection(request: ConnectRequest | { profile: ProfileInput }): Promise<ConnectionInfo> {
    const { profile, password, sshPassphrase } = 'profile' in request
      ? this.profiles.preview(request.profile)
      : { profile: this.profiles.get(request.profileId), password: request.password, sshPassphrase: request.sshPassphrase };
    const opened = await this.open(profile, password, sshPassphrase);
    await opened.inspector.site.db.close();
    return opened.info;
  }

  async connect(request: ConnectRequest): Promise<ConnectionInfo> {
    const opened = await this.open(this.profiles.get(request.profileId), request.password, request.sshPassphrase);
    await this.replace(opened);
    return opened.info;
  }

  async openDemo(): Promise<DemoSite> {
    if (this.deps.sqliteUnavailable) throw new AppFailure('DATABASE', this.deps.sqliteUnavailable);
    await this.replace(null);
    const demo = await createDemoSite(join(this.deps.dataHome, 'demo-site.sqlite'), this.deps.sqliteNativeBinding ? { nativeBinding: this.deps.sqliteNativeBinding } : {});
    const opened = await this.open({ ...DEMO_PROFILE, file: demo.file });
    await this.replace(opened);
    return { connection: opened.info, accounts: demo.accounts };
  }

  async signIn(name: string, password: string): Promise<OperatorInfo> {
    const connection = this.connection;
    const epoch = this.authEpoch;
    const operator = await connection.inspector.signIn(name, password);
    const info = await connection.inspector.whoami(operator);
    // A sign-in counts only on the site it was checked against, and only if nobody
    // signed out (or switched sites) while the password was being checked.
    if (this.current !== connection || this.authEpoch !== epoch) {
      throw new AppFailure('NOT_SIGNED_IN', 'You signed out or changed the connection while signing in. Sign in again.');
    }
    this.operator = operator;
    return info;
  }

  /** Runs a revoke, counted so that a cancel meanwhile is refused. */
  private async revoking<T>(work: () => Promise<T>): Promise<T> {
    this.revokesRunning++;
    try {
      return await work();
    } finally {
      this.revokesRunning--;
    }
  }

  async previewRevokeMatching(filter: SessionFilter): Promise<RevokePreview> {
    const { inspector, operator } = this.signedInOperator;
    const plan = await inspector.planRevokeMatching(operator, filter);
    const now = Date.now();
    for (const [id, held] of this.previews) if (held.expires < now) this.previews.delete(id);
    // A few at most: an abandoned dialog must not keep 100,000 keys each.
    while (this.previews.size >= MAX_HELD_PREVIEWS) this.previews.delete(this.previews.keys().next().value!);
    const previewId = randomUUID();
    this.previews.set(previewId, {
      epoch: this.authEpoch,
      operatorUid: operator.uid,
      sessions: plan.sessions.map(({ uid, sid }) => ({ uid, sid })),
      total: plan.total,
      rememberMeOf: plan.rememberMeOf,
      expires: now + PREVIEW_LIFETIME_MS,
    });
    return { previewId, asOf: plan.asOf, total: plan.total, users: plan.users, rememberMe: plan.rememberMe };
  }

  async revokeMatching(previewId: string, confirmCount: number): Promise<MatchedRevokeCounts> {
    const { inspector, operator } = this.signedInOperator;
    const held = this.previews.get(previewId);
    if (!held || held.expires < Date.now() || held.epoch !== this.authEpoch || held.operatorUid !== operator.uid) {
      this.previews.delete(previewId);
      throw new AppFailure('NOT_FOUND', 'That preview is no longer valid (it expired, or you signed in again). Preview the revoke again.');
    }
    if (confirmCount !== held.total) {
      throw new AppFailure('USAGE', `Type the number of sessions, ${held.total}, to confirm revoking them.`);
    }
    this.previews.delete(previewId);
    const result = await this.revoking(() => inspector.revokeMatching(operator, held.sessions, { rememberMeOf: held.rememberMeOf }));
    return { ...result, revoked: result.revoked.length };
  }

  /** Stops the reads running on the open site (the renderer's Cancel on a slow search). */
  async cancel(): Promise<void> {
    this.importing?.controller.abort();
    if (!this.current) return;
    if (this.revokesRunning > 0) {
      throw new AppFailure('USAGE', 'A revoke is being written and cannot be stopped; it ends in a moment.');
    }
    await this.current.inspector.site.db.interrupt();
  }

  signOut(): void {
    this.authEpoch++;
    this.operator = null;
    this.previews.clear();
    void this.endComparison();
  }

  /** The older copy the open site is compared with (the Compare view), while it is on screen. */
  private comparison: Comparison | null = null;

  async compareWith(request: { profileId: string; password: string; dbPassword?: string }): Promise<SiteDiff> {
    const { inspector, operator } = this.signedInOperator;
    await this.endComparison();
    const profile = this.profiles.get(request.profileId);
    // Read-only whatever the saved connection says: a comparison changes nothing.
    const opened = await this.open({ ...profile, readOnly: true }, request.dbPassword);
    const comparison = await Comparison.open(opened.inspector, operator.name, request.password, profile.name);
    this.comparison = comparison;
    return comparison.summary(inspector, operator);
  }

  async endComparison(): Promise<void> {
    const comparison = this.comparison;
    this.comparison = null;
    await comparison?.close();
  }

  handlers(): Handlers {
    const op = () => this.signedInOperator;
    return {
      'status': () => this.status(),
      'listProfiles': async () => this.profiles.list(),
      'saveProfile': async (input) => this.profiles.save(input),
      'deleteProfile': async ({ id }) => this.profiles.delete(id),
      'chooseSqliteFile': () => this.deps.chooseSqliteFile(),
      'chooseCredentialFile': async ({ kind }) => (this.deps.chooseCredentialFile ? this.deps.chooseCredentialFile(kind) : null),
      'testConnection': (request) => this.testConnection(request),
      'trustSshHostKey': (request) => this.trustSshHostKey(request),
      'connect': (request) => this.connect(request),
      'openDemo': () => this.openDemo(),
      'disconnect': () => this.replace(null),
      'signIn': ({ name, password }) => this.signIn(name, password),
      'signOut': async () => this.signOut(),
      'searchUsers': ({ text, limit, offset, sort }) => op().inspector.searchUsers(op().operator, text, { limit, offset, ...(sort ? { sort } : {}) }),
      'listSessions': ({ uid, ...page }) => op().inspector.sessions(op().operator, { uid }, page),
      'revokeSessions': ({ uid, sids }) => this.revoking(() => op().inspector.revoke(op().operator, { uid }, sids)),
      'revokeAllSessions': ({ uid, confirmName, block }) => this.revoking(async () => {
        const { inspector, operator } = op();
        const user = await inspector.user(operator, { uid });
        // The typed name is checked here, not only in the dialog.
        // Both trimmed: a name with stray spaces (made by code, not Drupal's form) can still be typed.
        if (confirmName.trim().toLowerCase() !== user.name.trim().toLowerCase()) {
          throw new AppFailure('USAGE', `Type the username "${user.name}" to confirm revoking all of their sessions.`);
        }
        return inspector.revokeAll(operator, { uid }, { block: block === true });
      }),
      'unblockUser': ({ uid }) => this.revoking(() => op().inspector.unblock(op().operator, { uid })),
      'listAudit': ({ limit, ...page }) => op().inspector.listAudit(op().operator, limit, page),
      'cancel': () => this.cancel(),
      'importProgress': () => this.importProgress(),
      'listSiteSessions': ({ filter, limit, offset }) => op().inspector.siteSessions(op().operator, filter, { limit, offset }),
      'listIpGroups': ({ filter, limit, offset }) => op().inspector.ipGroups(op().operator, filter, { limit, offset }),
      'anomalies': (policy) => op().inspector.anomalies(op().operator, policy),
      'exportList': (request) => {
        const choose = this.deps.chooseExportFile;
        if (!choose) throw new AppFailure('USAGE', 'Exporting needs the desktop app (a save dialog).');
        if (request.kind === 'diff') {
          if (!this.comparison) throw new AppFailure('USAGE', 'Compare with another copy first.');
          return this.comparison.exportCsv(op().inspector, op().operator, choose, this.deps.version ?? '0');
        }
        return exportListing(op().inspector, op().operator, request, choose, this.deps.version ?? '0');
      },
      'compareWith': (request) => this.compareWith(request),
      'listSnapshots': async () =>
        listSnapshots(this.deps.dataHome).map((r) => ({
          id: r.id, source: r.source.path, dialect: r.dialect, gzip: r.gzip, madeAt: r.asOf, madeAtFrom: r.asOfFrom, zoneKnown: r.dumpedAtZoneKnown,
          importedAt: r.importedAt, bytes: r.snapshotBytes,
        })),
      'deleteSnapshot': async ({ id }) => {
        // The open site's own snapshot stays while it is open.
        if (this.current?.inspector.snapshot?.id === id) throw new AppFailure('USAGE', 'This snapshot is open: disconnect first.');
        deleteSnapshot(this.deps.dataHome, id);
      },
      'pruneSnapshots': async () => {
        if (this.importing) throw new AppFailure('USAGE', 'A dump is being imported: wait for it, or cancel it, first.');
        return { deleted: (await pruneSnapshots(this.deps.dataHome)).length };
      },
      'endComparison': () => this.endComparison(),
      'previewRevokeMatching': ({ filter }) => this.previewRevokeMatching(filter),
      'revokeMatching': ({ previewId, confirmCount }) => this.revokeMatching(previewId, confirmCount),
    };
  }

  async dispose(): Promise<void> {
    await this.replace(null);
  }
}
