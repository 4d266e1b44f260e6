/**
 * Runtime validation of every IPC request. The renderer is treated as untrusted:
 * anything not matching these schemas is refused before a handler runs.
 */
import { z } from 'zod';
import { ENGINES } from '../../shared/engines.js';
import { TLS_MODES } from '../../shared/tls.js';
import type { Channel, RequestOf } from '../../shared/ipc/contract.js';
import { LAST_UNIX_TIME, MAX_AUDIT_ENTRIES, MAX_BOARD_PAGE_SIZE, MAX_PAGE_SIZE, MAX_REVOKE_MATCHES, MAX_SESSION_PAGE_SIZE, MAX_SIDS_PER_REVOKE } from '../../shared/limits.js';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const text = (max: number) => z.string().max(max);
const engine = z.enum(ENGINES);
const none = z.undefined();

/** An SSH server's host: a name or an address (IPv6 without its brackets), nothing else. */
const sshHost = text(255)
  .trim()
  .min(1, 'Give the SSH server.')
  .regex(/^(?:[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+)$/, 'The SSH server is a host name or an address.');

const profileInput = z
  .object({
    id: id.exactOptional(),
    name: text(100).trim().min(1, 'Give the connection a name.'),
    engine,
    file: text(4096).exactOptional(),
    host: text(255).exactOptional(),
    port: z.number().int().min(1).max(65535).exactOptional(),
    database: text(255).exactOptional(),
    user: text(255).exactOptional(),
    prefix: text(64),
    schema: text(63).exactOptional(),
    readOnly: z.boolean(),
    superUser: z.boolean(),
    password: text(1024).exactOptional(),
    gcMaxlifetime: z.number().int().min(60).max(10 * 365 * 86400).exactOptional(),
    asOf: z.number().int().min(0).max(LAST_UNIX_TIME).exactOptional(),
    production: z.boolean().exactOptional(),
    tls: z
      .object({
        mode: z.enum(TLS_MODES).exactOptional(),
        ca: text(4096).exactOptional(),
        cert: text(4096).exactOptional(),
        key: text(4096).exactOptional(),
      })
      .strict()
      .exactOptional(),
    ssh: z
      .object({
        host: sshHost,
        port: z.number().int().min(1).max(65535),
        user: text(255).trim().min(1, 'Give your account on the SSH server.').regex(/^[^\s@]+$/, 'The SSH account is a user name, without spaces or @.'),
        keyFile: text(4096).exactOptional(),
      })
      .strict()
      .exactOptional(),
    sshPassphrase: text(1024).exactOptional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.ssh && p.engine === 'sqlite') ctx.addIssue({ code: 'custom', message: 'An SSH tunnel is for database servers, not files.' });
    if (p.tls && !p.tls.cert?.trim() !== !p.tls.key?.trim()) {
      ctx.addIssue({ code: 'custom', message: 'A client certificate needs its key: fill in both, or neither.' });
    }
    if (p.engine === 'sqlite' && !p.file) ctx.addIssue({ code: 'custom', message: 'Choose the SQLite database file.' });
    if (p.engine !== 'sqlite' && (!p.host || !p.database || !p.user)) {
      ctx.addIssue({ code: 'custom', message: 'Fill in host, database and user.' });
    }
  });

const connect = z.object({ profileId: id, password: text(1024).exactOptional(), sshPassphrase: text(1024).exactOptional() }).strict();
const uid = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const sid = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/);
const unixTime = z.number().int().min(0).max(LAST_UNIX_TIME);
const userRef = z.union([
  z.object({ uid }).strict(),
  z.object({ name: text(60).min(1) }).strict(),
  z.object({ mail: text(254).min(1) }).strict(),
]);
const sessionFilter = z
  .object({
    ip: text(64).min(1).exactOptional(),
    user: userRef.exactOptional(),
    role: text(64).min(1).exactOptional(),
    states: z.array(z.enum(['active', 'idle', 'stale'])).min(1).max(3).exactOptional(),
    createdAfter: unixTime.exactOptional(),
    createdBefore: unixTime.exactOptional(),
    usedAfter: unixTime.exactOptional(),
    usedBefore: unixTime.exactOptional(),
    masquerade: z.boolean().exactOptional(),
    passwordReset: z.boolean().exactOptional(),
    ownerBlocked: z.boolean().exactOptional(),
    orphan: z.boolean().exactOptional(),
    includeAnonymous: z.boolean().exactOptional(),
  })
  .strict();

export const requestSchemas = {
  'status': none,
  'listProfiles': none,
  'saveProfile': profileInput,
  'deleteProfile': z.object({ id }).strict(),
  'chooseSqliteFile': none,
  'chooseCredentialFile': z.object({ kind: z.enum(['ca', 'cert', 'key', 'sshKey']) }).strict(),
  'trustSshHostKey': z.object({ host: sshHost, port: z.number().int().min(1).max(65535), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(),
  'testConnection': z.union([connect, z.object({ profile: profileInput }).strict()]),
  'connect': connect,
  'openDemo': none,
  'disconnect': none,
  'signIn': z.object({ name: text(60).min(1), password: text(1024) }).strict(),
  'signOut': none,
  'searchUsers': z
    .object({
      text: text(254), limit: z.number().int().min(1).max(MAX_PAGE_SIZE), offset: z.number().int().min(0).max(10_000_000),
      sort: z.enum(['name', 'lastSeen', 'sessions']).exactOptional(),
    })
    .strict(),
  'listSessions': z
    .object({ uid, offset: z.number().int().min(0).max(100_000_000).exactOptional(), limit: z.number().int().min(1).max(MAX_SESSION_PAGE_SIZE).exactOptional() })
    .strict(),
  'revokeSessions': z.object({ uid, sids: z.array(sid).min(1).max(MAX_SIDS_PER_REVOKE) }).strict(),
  'revokeAllSessions': z.object({ uid, confirmName: text(60), block: z.boolean().exactOptional() }).strict(),
  'unblockUser': z.object({ uid }).strict(),
  'listAudit': z
    .object({ limit: z.number().int().min(1).max(MAX_AUDIT_ENTRIES), offset: z.number().int().min(0).max(1_000_000).exactOptional(), user: userRef.exactOptional() })
    .strict(),
  'cancel': none,
  'importProgress': none,
  'compareWith': z.object({ profileId: id, password: text(1024).min(1), dbPassword: text(1024).exactOptional() }).strict(),
  'endComparison': none,
  'listSnapshots': none,
  'deleteSnapshot': z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) }).strict(),
  'pruneSnapshots': none,
  'listSiteSessions': z
    .object({ filter: sessionFilter, limit: z.number().int().min(1).max(MAX_BOARD_PAGE_SIZE), offset: z.number().int().min(0).max(100_000_000) })
    .strict(),
  'listIpGroups': z
    .object({ filter: sessionFilter, limit: z.number().int().min(1).max(MAX_BOARD_PAGE_SIZE), offset: z.number().int().min(0).max(100_000_000) })
    .strict(),
  'anomalies': z
    .object({ maxAge: z.number().int().min(60).max(365 * 86400).exactOptional(), maxIdle: z.number().int().min(60).max(365 * 86400).exactOptional() })
    .strict(),
  'exportList': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sessions'), uid }).strict(),
    z.object({ kind: z.literal('siteSessions'), filter: sessionFilter }).strict(),
    z.object({ kind: z.literal('ips'), filter: sessionFilter }).strict(),
    z.object({ kind: z.literal('audit') }).strict(),
    z.object({ kind: z.literal('diff') }).strict(),
  ]),
  'previewRevokeMatching': z.object({ filter: sessionFilter }).strict(),
  'revokeMatching': z.object({ previewId: id, confirmCount: z.number().int().min(0).max(MAX_REVOKE_MATCHES) }).strict(),
} satisfies { [C in Channel]: z.ZodType<RequestOf<C>> };
