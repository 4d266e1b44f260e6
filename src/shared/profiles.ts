/** Rules about saved connections that the main process and the form must agree on. */
import type { ProfileFields } from './ipc/contract.js';

/** The fields that name a database account: a stored password belongs to exactly these. */
export const ACCOUNT_FIELDS = ['engine', 'host', 'port', 'database', 'user'] as const;

type Account = Pick<ProfileFields, (typeof ACCOUNT_FIELDS)[number] | 'ssh'>;

/** Through a tunnel, the host is as the SSH server sees it: the SSH server is part of where. */
function sameTunnel(a: Account, b: Account): boolean {
  if (!a.ssh || !b.ssh) return !a.ssh && !b.ssh;
  return a.ssh.host.toLowerCase() === b.ssh.host.toLowerCase() && a.ssh.port === b.ssh.port && a.ssh.user === b.ssh.user;
}

/**
 * A stored password is kept only while the profile still points at the same account:
 * it never follows a profile to another server, database or user, nor through another
 * SSH server (`localhost` behind one bastion is not `localhost` behind another).
 */
export function sameDatabaseAccount(a: Account, b: Account): boolean {
  return ACCOUNT_FIELDS.every((key) => (a[key] ?? '') === (b[key] ?? '')) && sameTunnel(a, b);
}
