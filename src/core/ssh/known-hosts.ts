/**
 * Host keys of SSH servers, in OpenSSH's known_hosts format: the operator's own
 * ~/.ssh/known_hosts is read (never written), and the keys accepted in Session
 * Inspector go to its own file in the data folder. Plain and hashed (`|1|salt|hash`)
 * host names, `[host]:port` for other ports, and `@revoked` lines are understood.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HostKey {
  /** ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, … */
  type: string;
  /** The public key in SSH wire format (what known_hosts holds in base64). */
  blob: Buffer;
}

export type HostKeyCheck =
  | { status: 'known' }
  | { status: 'unknown' }
  /** Another key is recorded for that host (or this one is revoked): possibly an impostor. */
  | { status: 'changed' | 'revoked'; file: string; line: number };

/** Session Inspector's own known_hosts, in the data folder (the app and the CLI share it). */
export function knownHostsFile(dataHome: string): string {
  return join(dataHome, 'known_hosts');
}

/** The key's type, read from its wire format (a length-prefixed string first). */
export function hostKeyFromBlob(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  return { type, blob };
}

/** As OpenSSH prints it: SHA256:<base64 without padding>. */
export function fingerprint(key: HostKey): string {
  return `SHA256:${createHash('sha256').update(key.blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The name known_hosts records: `host` on port 22, `[host]:port` otherwise; in lower
 * case, as OpenSSH writes and hashes it (a hashed entry matches only the same case).
 */
export function knownHostName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

function matchesName(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  // Wildcards as OpenSSH reads them: * any run, ? one character.
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

function hostMatches(patterns: string, name: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchesName(pattern.slice(1), name)) return false;
    } else if (matchesName(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

interface KnownHostEntry {
  revoked: boolean;
  type: string;
  blob: Buffer;
  file: string;
  line: number;
}

/** The lines of the files about host:port (certificate authorities aside). A file that does not exist says nothing. */
function entriesFor(files: readonly string[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostName(host, port);
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const fields = line.split(/\s+/);
      const marker = fields[0]!.startsWith('@') ? fields.shift()! : null;
      if (marker === '@cert-authority') return;
      const [patterns, type, base64] = fields;
      if (!patterns || !type || !base64 || !hostMatches(patterns, name)) return;
      entries.push({ revoked: marker === '@revoked', type, blob: Buffer.from(base64, 'base64'), file, line: index + 1 });
    });
  }
  return entries;
}

/** The keys recorded for host:port (not revoked): their types are the ones to ask the server for. */
export function recordedHostKeys(files: readonly string[], host: string, port: number): Array<{ type: string; file: string; line: number }> {
  return entriesFor(files, host, port)
    .filter((e) => !e.revoked)
    .map(({ type, file, line }) => ({ type, file, line }));
}

/** What the files say of `key` for host:port. */
export function checkHostKey(files: readonly string[], host: string, port: number, key: HostKey): HostKeyCheck {
  const entries = entriesFor(files, host, port);
  const same = (e: KnownHostEntry) => e.type === key.type && e.blob.equals(key.blob);
  // A revoked key is refused whatever else is recorded.
  const revoked = entries.find((e) => e.revoked && same(e));
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line };
  if (entries.some((e) => !e.revoked && same(e))) return { status: 'known' };
  // Any other key recorded for the host, of any type, means this one is not the host's:
  // a server shows the types we asked for (see the tunnel), so a new type is suspect too.
  const other = entries.find((e) => !e.revoked);
  return other ? { status: 'changed', file: other.file, line: other.line } : { status: 'unknown' };
}

/** Records a key the operator accepted, in Session Inspector's own file (owner-only). */
export function rememberHostKey(file: string, host: string, port: number, key: HostKey): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${knownHostName(host, port)} ${key.type} ${key.blob.toString('base64')}\n`, { mode: 0o600 });
}
