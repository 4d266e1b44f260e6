/**
 * Every IPC request passes through here, in this order: the sender must be the app's
 * own page, the payload must match its schema, operator-only channels need a signed-in
 * operator; then the handler runs. Every answer is `{ ok: true, value }` or
 * `{ ok: false, error: { code, message } }`, and nothing a handler throws escapes.
 */
import type { Channel, Handlers } from '../../shared/ipc/contract.js';
import { toAppError, type Result } from '../../shared/errors.js';
import { requestSchemas } from './schemas.js';

/** The part of an IpcMainInvokeEvent we rely on. */
export interface IpcEventLike {
  /** Electron's WebFrameMain: `parent` is null for a window's top frame. */
  senderFrame?: { url: string; parent?: unknown } | null;
}

export interface DispatchPolicy {
  isTrustedSender(url: string): boolean;
  isSignedIn(): boolean;
  /** Where unexpected errors are reported (never with request payloads: they hold passwords). */
  logError?(channel: string, error: unknown): void;
}

/** Channels that need a signed-in operator before their handler is even called. */
export const OPERATOR_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'searchUsers',
  'listSessions',
  'revokeSessions',
  'revokeAllSessions',
  'unblockUser',
  'listAudit',
  'listSiteSessions',
  'listIpGroups',
  'anomalies',
  'exportList',
  'previewRevokeMatching',
  'revokeMatching',
  'compareWith',
]);

export { CHANNELS } from '../../shared/ipc/contract.js';

export type Dispatch = (channel: string, event: IpcEventLike, payload: unknown) => Promise<Result<unknown>>;

export function createDispatcher(handlers: Handlers, policy: DispatchPolicy): Dispatch {
  return async (channel, event, payload) => {
    const url = event.senderFrame?.url ?? '';
    // Only the app's own page in its top frame: never a sub-frame, whatever its URL.
    const topFrame = event.senderFrame !== null && event.senderFrame !== undefined && !event.senderFrame.parent;
    if (!topFrame || !policy.isTrustedSender(url)) {
      return { ok: false, error: { code: 'ACCESS_DENIED', message: 'Refused: the request did not come from the app\'s own page.' } };
    }
    if (!Object.hasOwn(requestSchemas, channel)) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: `Unknown operation "${String(channel).slice(0, 60)}".` } };
    }
    const known = channel as Channel;
    const parsed = requestSchemas[known].safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
      return { ok: false, error: { code: 'INVALID_REQUEST', message: `Invalid request${where}: ${issue?.message ?? 'malformed'}` } };
    }
    if (OPERATOR_CHANNELS.has(known) && !policy.isSignedIn()) {
      return { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'Sign in first.' } };
    }
    try {
      const handler = handlers[known] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: (await handler(parsed.data)) ?? null };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'INTERNAL') policy.logError?.(known, error);
      return { ok: false, error: appError };
    }
  };
}
