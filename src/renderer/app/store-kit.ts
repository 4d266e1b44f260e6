/**
 * What every slice of the console store is built with: the bridge it talks through
 * (injected, so slices are unit-tested without a browser), the guard against stale
 * responses, and the shared helpers for busy states and lost access.
 */
import type { StoreApi } from 'zustand';
import type { AppError } from '../../shared/errors';
import type { Bridge } from '../../shared/ipc/contract';
import type { ConsoleState } from './console-store';

/** Something loaded from the main process, with its loading and error states. */
export interface Loadable<T> {
  loading: boolean;
  data: T | null;
  error: AppError | null;
}

export const idle = <T,>(): Loadable<T> => ({ loading: false, data: null, error: null });

/** The one long step the whole screen waits for, at most one at a time. */
export type Busy = 'starting' | 'saving' | 'deleting' | 'testing' | 'connecting' | 'creating-demo' | 'disconnecting' | 'signing-in' | 'signing-out';

/**
 * The context a response belongs to. It changes whenever the connection or the
 * operator changes; a response that arrives after such a change belongs to the
 * previous context and is dropped. Written once, used by every slice.
 */
export interface ResponseGuard {
  /** Starts a new context (connect, sign in or out) and returns its token. */
  renew(): number;
  /** The token of the current context, taken when a request starts. */
  token(): number;
  /** Whether a response to a request started with `token` still belongs. */
  holds(token: number): boolean;
}

export function createResponseGuard(): ResponseGuard {
  let current = 0;
  return {
    renew: () => ++current,
    token: () => current,
    holds: (token) => token === current,
  };
}

export type Set = StoreApi<ConsoleState>['setState'];
export type Get = StoreApi<ConsoleState>['getState'];

export interface SliceKit {
  set: Set;
  get: Get;
  bridge: Bridge;
  guard: ResponseGuard;
  /** Runs a step that may fail, marked busy; errors land in `error` for the current screen. */
  attempt<T>(busy: Busy, work: () => Promise<T>): Promise<T | null>;
  /**
   * After an "access denied", asks the main process whether the operator still has any
   * access at all; if not, the whole console gives way to an access-denied screen.
   */
  recheckOperator(error: AppError): Promise<void>;
}

/** The console's tabs: one user's sessions, every session of the site, the audit log. */
export type View = 'users' | 'board' | 'audit' | 'compare';

/** The console's view state, as it is after connecting or signing in afresh. */
export const freshConsole = {
  view: 'users' as View,
  operatorDenied: null as AppError | null,
};
