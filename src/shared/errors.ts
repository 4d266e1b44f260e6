/**
 * The error codes every layer speaks: the core throws them, the CLI maps them to exit
 * codes and JSON, and the IPC layer sends them to the renderer as `{ ok: false, error }`.
 */
import type { SshHostKeyInfo } from './ssh.js';

export const ERROR_CODES = [
  'USAGE',
  'SIGN_IN_FAILED',
  'ACCESS_DENIED',
  'NOT_FOUND',
  'DATABASE',
  'READ_ONLY',
  /** The local audit log cannot be written: the revoke was refused or rolled back. */
  'AUDIT_LOG',
  'NOT_SIGNED_IN',
  /** The operator stopped a long query (the app's Cancel); nothing was changed. */
  'CANCELLED',
  /** A revoke by criteria matched another number of sessions than expected (--expect): nothing was revoked. */
  'CHANGED',
  /** An SSH server's host key is unknown or not the one recorded: nothing was sent to it. */
  'SSH_HOST_KEY',
  'INVALID_REQUEST',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  /** SSH_HOST_KEY: the key it is about, for the app's "trust this server?" prompt. */
  hostKey?: SshHostKeyInfo;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * An expected failure: a code every layer understands and a message written for the
 * operator. Thrown by the core, the CLI's argument parser and the main process; sent
 * to the renderer as an AppError. Anything else thrown is a bug (INTERNAL).
 */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppFailure';
  }

  /** Set on SSH_HOST_KEY failures (see core/ssh/tunnel.ts). */
  hostKey?: SshHostKeyInfo;
}

/** Turns anything thrown into an AppError; unexpected errors keep a generic message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppFailure) return { code: error.code, message: error.message, ...(error.hostKey ? { hostKey: error.hostKey } : {}) };
  return { code: 'INTERNAL', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}
