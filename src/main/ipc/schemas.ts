/**
 * Runtime validation of every IPC request. The renderer is treated as untrusted:
 * anything not matching these schemas is refused before a handler runs.
 */
import { z } from 'zod';
import type { Channel, RequestOf } from '../../shared/ipc/contract.js';
import { MAX_AUDIT_ENTRIES, MAX_PAGE_SIZE, MAX_SIDS_PER_REVOKE } from '../../shared/limits.js';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const text = (max: number) => z.string().max(max);
const engine = z.enum(['sqlite', 'pgsql', 'mysql']);
const none = z.undefined();

const profileInput = z
  .object({
    id: id.optional(),
    name: text(100).trim().min(1, 'Give the connection a name.'),
    engine,
    file: text(4096).optional(),
    host: text(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: text(255).optional(),
    user: text(255).optional(),
    prefix: text(64),
    schema: text(63).optional(),
    readOnly: z.boolean(),
    superUser: z.boolean(),
    password: text(1024).optional(),
    gcMaxlifetime: z.number().int().min(60).max(10 * 365 * 86400).optional(),
    asOf: z.number().int().min(0).max(253_402_300_799).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.engine === 'sqlite' && !p.file) ctx.addIssue({ code: 'custom', message: 'Choose the SQLite database file.' });
    if (p.engine !== 'sqlite' && (!p.host || !p.database || !p.user)) {
      ctx.addIssue({ code: 'custom', message: 'Fill in host, database and user.' });
    }
  });

const connect = z.object({ profileId: id, password: text(1024).optional() }).strict();
const uid = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const sid = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/);

export const requestSchemas = {
  'app:status': none,
  'profiles:list': none,
  'profiles:save': profileInput,
  'profiles:delete': z.object({ id }).strict(),
  'dialog:chooseSqliteFile': none,
  'connection:test': connect,
  'connection:open': connect,
  'connection:openDemo': none,
  'connection:close': none,
  'auth:signIn': z.object({ name: text(60).min(1), password: text(1024) }).strict(),
  'auth:signOut': none,
  'users:search': z
    .object({ text: text(254), limit: z.number().int().min(1).max(MAX_PAGE_SIZE), offset: z.number().int().min(0).max(10_000_000) })
    .strict(),
  'sessions:list': z.object({ uid }).strict(),
  'sessions:revoke': z.object({ uid, sids: z.array(sid).min(1).max(MAX_SIDS_PER_REVOKE) }).strict(),
  'sessions:revokeAll': z.object({ uid, confirmName: text(60) }).strict(),
  'audit:recent': z.object({ limit: z.number().int().min(1).max(MAX_AUDIT_ENTRIES) }).strict(),
} satisfies { [C in Channel]: z.ZodType<RequestOf<C>> };
