/**
 * How an operator's text names an account, the same for the CLI's user references and
 * the search box: `uid:<n>` is a uid, a whole e-mail address (name@domain.tld) is an
 * address; anything else is a name or a substring.
 */
import type { UserRef } from './domain.js';

/** The uid in `uid:<n>` (up to 15 digits, a safe integer), else null. */
export function uidReference(text: string): number | null {
  const match = /^uid:(\d{1,15})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}

/** A whole address; a partial one (as typed into the search box) is not. */
export function isEmailAddress(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim());
}

/** The account a typed text names (trimmed): uid:<n>, an address, else a name; null for nothing. */
export function userRefOf(text: string): UserRef | null {
  const typed = text.trim();
  if (typed === '') return null;
  const uid = uidReference(typed);
  return uid !== null ? { uid } : isEmailAddress(typed) ? { mail: typed } : { name: typed };
}
