/**
 * The typed IPC contract between the renderer and the main process: one channel per
 * operation, its request and its response. The main process validates every request
 * (src/main/ipc/schemas.ts) and answers `Result<Response>`; the preload exposes one
 * function per operation (BRIDGE_METHODS) and nothing else.
 */
import type { AuditPage, OperatorInfo, RevokeResult, UserPage, UserSessions } from '../domain.js';
import type { Result } from '../errors.js';

import type { Engine } from '../engines.js';

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
}

/** A saved connection, as the renderer sees it: never the password. */
export interface Profile extends ProfileFields {
  id: string;
  /** A database password is stored (encrypted with the OS keyring). */
  hasPassword: boolean;
}

export interface ProfileInput extends ProfileFields {
  /** Absent: a new profile. */
  id?: string;
  /** A new password to store; undefined keeps the stored one, '' forgets it. */
  password?: string;
}

export interface ConnectRequest {
  profileId: string;
  /** The database password when none is stored (or the keyring is unavailable). */
  password?: string;
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
  'app:status': { request: void; response: AppStatus };
  'profiles:list': { request: void; response: Profile[] };
  'profiles:save': { request: ProfileInput; response: Profile };
  'profiles:delete': { request: { id: string }; response: void };
  'dialog:chooseSqliteFile': { request: void; response: string | null };
  'connection:test': { request: ConnectRequest; response: ConnectionInfo };
  'connection:open': { request: ConnectRequest; response: ConnectionInfo };
  'connection:openDemo': { request: void; response: DemoSite };
  'connection:close': { request: void; response: void };
  'auth:signIn': { request: { name: string; password: string }; response: OperatorInfo };
  'auth:signOut': { request: void; response: void };
  'users:search': { request: { text: string; limit: number; offset: number }; response: UserPage };
  'sessions:list': { request: { uid: number }; response: UserSessions };
  'sessions:revoke': { request: { uid: number; sids: string[] }; response: RevokeResult };
  'sessions:revokeAll': { request: { uid: number; confirmName: string }; response: RevokeResult };
  'audit:recent': { request: { limit: number }; response: AuditPage };
}

export type Channel = keyof IpcContract;
export type RequestOf<C extends Channel> = IpcContract[C]['request'];
export type ResponseOf<C extends Channel> = IpcContract[C]['response'];

/** The preload's functions, each bound to one channel. */
export const BRIDGE_METHODS = {
  status: 'app:status',
  listProfiles: 'profiles:list',
  saveProfile: 'profiles:save',
  deleteProfile: 'profiles:delete',
  chooseSqliteFile: 'dialog:chooseSqliteFile',
  testConnection: 'connection:test',
  connect: 'connection:open',
  openDemo: 'connection:openDemo',
  disconnect: 'connection:close',
  signIn: 'auth:signIn',
  signOut: 'auth:signOut',
  searchUsers: 'users:search',
  listSessions: 'sessions:list',
  revokeSessions: 'sessions:revoke',
  revokeAllSessions: 'sessions:revokeAll',
  recentAudit: 'audit:recent',
} as const satisfies Record<string, Channel>;

export type BridgeMethods = typeof BRIDGE_METHODS;

/** What `window.sessionInspector` offers the renderer. */
export type Bridge = {
  [M in keyof BridgeMethods]: RequestOf<BridgeMethods[M]> extends void
    ? () => Promise<Result<ResponseOf<BridgeMethods[M]>>>
    : (request: RequestOf<BridgeMethods[M]>) => Promise<Result<ResponseOf<BridgeMethods[M]>>>;
};

export const BRIDGE_GLOBAL = 'sessionInspector';
