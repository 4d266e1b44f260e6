/**
 * Reads what the console shows from a Drupal session blob, and nothing else.
 *
 * The blob holds secrets (the CSRF seed `_sf2_meta.s`, password-reset tokens
 * `pass_reset_<uid>`); they are parsed but never copied into the result, so no
 * caller can leak them by accident.
 */
import { LAST_UNIX_TIME } from '../../shared/limits.js';
import { PhpArray, parsePhpSession, type PhpValue } from './php-serialize.js';

export interface SessionFacts {
  /** False when the blob could not be parsed; every other field is then null/false. */
  readable: boolean;
  /** `_sf2_meta.c`: when the session was created (unix seconds). */
  created: number | null;
  /** `_sf2_meta.l`: cookie lifetime in seconds (string on old sites, int on new). */
  lifetime: number | null;
  /** uid of the administrator impersonating this session's user (masquerade module). */
  masqueradeBy: number | null;
  /** User agent recorded by session_inspector's companion code, when present. */
  browser: string | null;
  /** A one-time login link was used and the password has not been set yet. */
  passwordReset: boolean;
}

const UNREADABLE: SessionFacts = {
  readable: false,
  created: null,
  lifetime: null,
  masqueradeBy: null,
  browser: null,
  passwordReset: false,
};

const EMPTY: SessionFacts = { ...UNREADABLE, readable: true };

/** Longest user agent we pass on; anything longer is cut, not refused. */
const MAX_BROWSER_LENGTH = 512;

/** A whole number within [min, max], given as an int or a digit string; else null. */
function asInt(value: PhpValue | undefined, min: number, max: number): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** Plausible values only: garbage must not become a date no one can display. */
const asTime = (value: PhpValue | undefined) => asInt(value, 1, LAST_UNIX_TIME);
const asLifetime = (value: PhpValue | undefined) => asInt(value, 0, 100 * 365 * 86400);
const asUid = (value: PhpValue | undefined) => asInt(value, 1, 2 ** 32 - 1);

function asArray(value: PhpValue | undefined): PhpArray | null {
  return value instanceof PhpArray ? value : null;
}

const RESET_KEY = /^pass_reset_(\d+|hash)$/;

function hasPasswordReset(...containers: Array<Iterable<string | number>>): boolean {
  for (const keys of containers) {
    for (const key of keys) if (typeof key === 'string' && RESET_KEY.test(key)) return true;
  }
  return false;
}

export function readSessionData(data: Uint8Array | string | null | undefined): SessionFacts {
  if (data === null || data === undefined || data.length === 0) return EMPTY;
  let top: Map<string, PhpValue>;
  try {
    top = parsePhpSession(data);
  } catch {
    return UNREADABLE;
  }
  const meta = asArray(top.get('_sf2_meta'));
  const attributes = asArray(top.get('_sf2_attributes'));
  const browser = attributes?.get('session_inspector_browser');
  return {
    readable: true,
    created: asTime(meta?.get('c')),
    lifetime: asLifetime(meta?.get('l')),
    // The masquerade module keeps it in the attributes; some versions in the meta bag.
    masqueradeBy: asUid(meta?.get('masquerading')) ?? asUid(attributes?.get('masquerading')),
    browser: typeof browser === 'string' && browser !== '' ? browser.slice(0, MAX_BROWSER_LENGTH) : null,
    // 8.0–8.4 wrote pass_reset_<uid> at the top level; later versions inside the attributes.
    passwordReset: hasPasswordReset(top.keys(), attributes?.keys() ?? []),
  };
}
