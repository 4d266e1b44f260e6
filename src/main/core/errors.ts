import type { AppError, ErrorCode } from '../../shared/errors.js';

/** An expected failure with a message written for the operator. */
export class InspectorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InspectorError';
  }
}

/** Turns anything thrown into an AppError; unexpected errors keep a generic message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof InspectorError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}
