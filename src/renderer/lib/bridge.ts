/** The preload's functions, and a helper that turns `{ok:false}` into a thrown AppError. */
import { toAppError, type AppError, type Result } from '../../shared/errors';
import { BRIDGE_GLOBAL, type Bridge } from '../../shared/ipc/contract';

declare global {
  interface Window {
    [BRIDGE_GLOBAL]?: Bridge;
  }
}

export function bridge(): Bridge {
  const api = window[BRIDGE_GLOBAL];
  if (!api) throw new Error('The app bridge is missing: this page must run inside Session Inspector.');
  return api;
}

export class BridgeError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new BridgeError(result.error);
  return result.value;
}

/** What the renderer shows for anything thrown: the main process' AppError, else a bug. */
export function asAppError(error: unknown): AppError {
  return error instanceof BridgeError ? error.error : toAppError(error);
}
