/**
 * The typed IPC contract between the renderer and the main process: one channel per
 * operation, its request and its response. The main process validates every request
 * (src/main/ipc/schemas.ts) and answers `Result<Response>`; the preload exposes one
 * function per operation (CHANNELS) and nothing else.
 */
import type { AnomalyReport, AuditPage, UserRef, IpGroupPage, MatchedRevokeResult, OperatorInfo, RevokePlan, RevokeResult, SessionFilter, SiteDiff, SiteSessionPage, UnblockResult, UserPage, UserSort, UserSessions } from '../domain.js';
import type { Result } from '../errors.js';

import type { Engine } from '../engines.js';
import type { TlsSettings } from '../tls.js';
import type { SshSettings } from '../ssh.js';

/** Files a connection signs in with: the TLS authority to trust, a client certificate, its key; an SSH key. */
export type CredentialFileKind = 'ca' | 'cert' | 'key' | 'sshKey';

/** What a saved connection says about where the site is and how to read it. */
export interface ProfileFields {
  name: string;
  engine: Engine;
  /** SQLite file. */
  file?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** settings.php's table prefix. */
  prefix: string;
  /** PostgreSQL schema. */
  schema?: string;
  readOnly: boolean;
  /** uid 1 has every permission (security.enable_super_user). */
  superUser: boolean;
  /** The site's session.storage.options.gc_maxlifetime, when not the default 200000 s. */
  gcMaxlifetime?: number;
  /** For snapshots: judge activity as of this unix time instead of now. */
  asOf?: number;
  /** A production site: marked in red wherever it shows, read-only unless chosen otherwise. */
  production?: boolean;
  /** A server's TLS mode and certificate files (paths; the files are read by the main process only). */
  tls?: TlsSettings;
  /** Reached through this SSH server (host and port above are then as it sees them). */
  ssh?: SshSettings;
}

/** A saved connection, as the renderer sees it: never the password. */
export interface Profile extends ProfileFields {
  id: string;
  /** A database password is stored (encrypted with the OS keyring). */
  hasPassword: boolean;
  /** A passphrase for the SSH key is stored (encrypted with the OS keyring). */
  hasSshPassphrase: boolean;
}

export interface ProfileInput extends ProfileFields {
  /** Absent: a new profile. */
  id?: string;
  /** A new password to store; undefined keeps the stored one, '' forgets it. */
  password?: string;
  /** The SSH key's passphrase, as for the password. */
  sshPassphrase?: string;
}

export interface ConnectRequest {
  profileId: string;
  /** The database password when none is stored (or the keyring is unavailable). */
  password?: string;
  /** The SSH key's passphrase when none is stored. */
  sshPassphrase?: string;
}

export interface ConnectionInfo {
  profileName: string;
  /** Where, without secrets: sqlite:/path or postgres://user@host:port/db. */
  description: string;
  engine: Engine;
  readOnly: boolean;
  /** dblog is enabled: revokes also appear on Drupal's "Recent log messages". */
  hasWatchdog: boolean;
  /** The sessions table exists (Drupal 10.3+ creates it at the first login). */
  hasSessionsTable: boolean;
  /** Activity is judged as of this unix time (a snapshot), or null for now. */
  asOf: number | null;
  /** Opened from a dump: which file, and when it was made (see DumpSnapshot). */
  snapshot: DumpSnapshot | null;
  /** The saved connection is marked as production. */
  production: boolean;
  /**
   * A server connection: whether what crosses the network is encrypted, by TLS or by an SSH
   * tunnel to a database on the SSH server itself; null for a local file.
   */
  encrypted: boolean | null;
}

/** A dump opened as a site: its path, when it was made, and how sure that time is. */
export interface DumpSnapshot {
  source: string;
  /** Who wrote it: mysqldump / mariadb-dump, or pg_dump. */
  dialect: 'mysql' | 'pgsql';
  /** When the dump was made (unix seconds): what activity is judged against, unless the profile says otherwise. */
  madeAt: number;
  /** From the dump's own words, or the file's modification time. */
  madeAtFrom: 'dump' | 'file';
  /** mysqldump writes a local time without a zone: false then (read as UTC). */
  zoneKnown: boolean;
}

/** A snapshot kept of a dump (in the data folder), as the connect screen lists it. */
export interface SnapshotSummary extends DumpSnapshot {
  id: string;
  gzip: boolean;
  importedAt: number;
  /** Size of the snapshot file. */
  bytes: number;
}

/** How far the import of a dump has come (while connecting to one). */
export interface ImportProgress {
  fileBytes: number;
  totalBytes: number;
  rows: number;
}

export interface DemoSite {
  connection: ConnectionInfo;
  /** Demo accounts to sign in with, shown on screen. */
  accounts: Array<{ name: string; password: string; role: string }>;
}

export interface AppStatus {
  connection: ConnectionInfo | null;
  operator: OperatorInfo | null;
  /** Whether database passwords can be stored (an OS keyring is available). */
  canStorePasswords: boolean;
}


export interface IpcContract {
  'status': { request: void; response: AppStatus };
  'listProfiles': { request: void; response: Profile[] };
  'saveProfile': { request: ProfileInput; response: Profile };
  'deleteProfile': { request: { id: string }; response: void };
  'chooseSqliteFile': { request: void; response: string | null };
  /** A certificate or key file for a connection's TLS or SSH settings: its path, or null when the dialog was cancelled. */
  'chooseCredentialFile': { request: { kind: CredentialFileKind }; response: string | null };
  /** Tests a saved connection, or unsaved fields (so that only what works gets saved). */
  'testConnection': { request: ConnectRequest | { profile: ProfileInput }; response: ConnectionInfo };
  /**
   * Records the SSH host key the last connection attempt was refused for (unknown until
   * now), once the operator compared its fingerprint: only that key, only for that host.
   */
  'trustSshHostKey': { request: { host: string; port: number; fingerprint: string }; response: void };
  'connect': { request: ConnectRequest; response: ConnectionInfo };
  'openDemo': { request: void; response: DemoSite };
  'disconnect': { request: void; response: void };
  'signIn': { request: { name: string; password: string }; response: OperatorInfo };
  'signOut': { request: void; response: void };
  'searchUsers': { request: { text: string; limit: number; offset: number; sort?: UserSort }; response: UserPage };
  'listSessions': { request: { uid: number; offset?: number; limit?: number }; response: UserSessions };
  'revokeSessions': { request: { uid: number; sids: string[] }; response: RevokeResult };
  'revokeAllSessions': { request: { uid: number; confirmName: string; block?: boolean }; response: RevokeResult };
  /** Unblocks an account ("administer users"). */
  'unblockUser': { request: { uid: number }; response: UnblockResult };
  'listAudit': { request: { limit: number; offset?: number; user?: UserRef }; response: AuditPage };
  /** Stops the database reads running now (a slow search, a dump's import); they fail with CANCELLED. Never a revoke. */
  'cancel': { request: void; response: void };
  /** The import of a dump under way (while connecting to one), or null. */
  'importProgress': { request: void; response: ImportProgress | null };
  /**
   * What changed since an older copy of this site (a saved connection), the operator
   * signing in there with `password`; that copy stays open until endComparison.
   */
  'compareWith': { request: { profileId: string; password: string; dbPassword?: string }; response: SiteDiff };
  'endComparison': { request: void; response: void };
  /** The snapshots kept of dumps opened before; deleting one, or those whose dump is gone or changed. */
  'listSnapshots': { request: void; response: SnapshotSummary[] };
  'deleteSnapshot': { request: { id: string }; response: void };
  'pruneSnapshots': { request: void; response: { deleted: number } };
  /** The site-wide board: every session that passes the filters, newest use first. */
  'listSiteSessions': { request: { filter: SessionFilter; limit: number; offset: number }; response: SiteSessionPage };
  /** The matching sessions grouped by client address. */
  'listIpGroups': { request: { filter: SessionFilter; limit: number; offset: number }; response: IpGroupPage };
  /** Shared addresses, blocked and deleted owners, sessions beyond the age and idle policy. */
  'anomalies': { request: { maxAge?: number; maxIdle?: number }; response: AnomalyReport };
  /** Writes a whole list as CSV (and a .meta.json beside it) where the operator chooses. */
  'exportList': { request: ExportRequest; response: ExportResult };
  /** Matches the sessions a revoke by criteria would remove; the main process keeps them. */
  'previewRevokeMatching': { request: { filter: SessionFilter }; response: RevokePreview };
  /** Revokes exactly the sessions of that preview (once), after the count was typed. */
  'revokeMatching': { request: { previewId: string; confirmCount: number }; response: MatchedRevokeCounts };
}

/** A list to export: a user's sessions, the board (sessions or addresses), the audit log. */
export type ExportRequest =
  | { kind: 'sessions'; uid: number }
  | { kind: 'siteSessions'; filter: SessionFilter }
  | { kind: 'ips'; filter: SessionFilter }
  | { kind: 'audit' }
  /** Every change of the comparison on screen (see compareWith). */
  | { kind: 'diff' };

/** Where the export went (null: the operator cancelled the save dialog), and how many rows. */
export interface ExportResult {
  file: string | null;
  rows: number;
}

/** What a revoke by criteria did, counted (the renderer needs no list of 100,000 keys). */
export interface MatchedRevokeCounts extends Omit<MatchedRevokeResult, 'revoked'> {
  revoked: number;
}

/** A revoke by criteria, matched and held in the main process until it is confirmed. */
export interface RevokePreview extends RevokePlan {
  previewId: string;
}

export type Channel = keyof IpcContract;
export type RequestOf<C extends Channel> = IpcContract[C]['request'];
export type ResponseOf<C extends Channel> = IpcContract[C]['response'];

/** What the main process implements: one handler per channel, typed by the contract. */
export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/**
 * Every operation, named once: the channel, the preload's function, and the handler
 * share this name. The preload exposes exactly these, one function each.
 */
export const CHANNELS = [
  'status', 'listProfiles', 'saveProfile', 'deleteProfile', 'chooseSqliteFile', 'chooseCredentialFile', 'testConnection', 'trustSshHostKey', 'connect', 'openDemo',
  'disconnect', 'signIn', 'signOut', 'searchUsers', 'listSessions', 'revokeSessions', 'revokeAllSessions', 'listAudit',
  'unblockUser', 'cancel', 'importProgress', 'compareWith', 'endComparison', 'listSnapshots', 'deleteSnapshot', 'pruneSnapshots', 'listSiteSessions', 'listIpGroups', 'anomalies', 'exportList', 'previewRevokeMatching', 'revokeMatching',
] as const satisfies readonly Channel[];

/** What `window.sessionInspector` offers the renderer. */
export type Bridge = {
  [C in Channel]: RequestOf<C> extends void ? () => Promise<Result<ResponseOf<C>>> : (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
};

export const BRIDGE_GLOBAL = 'sessionInspector';
