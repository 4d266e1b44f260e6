/**
 * The error codes every layer speaks: the core throws them, the CLI maps them to exit
 * codes and JSON, and the IPC layer sends them to the renderer as `{ ok: false, error }`.
 */
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
  'INVALID_REQUEST',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };
