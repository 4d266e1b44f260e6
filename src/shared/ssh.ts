/**
 * An SSH tunnel to a database server, as the operator writes it: `user@host[:port]`
 * (the CLI's --ssh, the connection form), a key file or the running agent. One parser
 * for both, so the two mean the same.
 */
import { AppFailure } from './errors.js';

export const DEFAULT_SSH_PORT = 22;

export interface SshSettings {
  host: string;
  port: number;
  user: string;
  /** A private key file (OpenSSH or PEM); absent: the agent at SSH_AUTH_SOCK. */
  keyFile?: string;
}

/** An SSH server's host key that was not trusted: what the app shows when it asks. */
export interface SshHostKeyInfo {
  host: string;
  port: number;
  /** ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, … */
  type: string;
  /** As OpenSSH prints it: SHA256:… */
  fingerprint: string;
  /** Never seen before, or another key is recorded for that host (or this one revoked). */
  status: 'unknown' | 'changed' | 'revoked';
}

/** `user@host`, `user@host:2222`, `user@[2001:db8::1]:2222`; refused naming the expected form. */
export function parseSshAddress(text: string, where = '--ssh'): Omit<SshSettings, 'keyFile'> {
  const match = /^([^@\s]+)@(\[[0-9a-f:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  const port = match?.[3] !== undefined ? Number(match[3]) : DEFAULT_SSH_PORT;
  if (!match || port < 1 || port > 65535) {
    throw new AppFailure('USAGE', `${where} takes user@host or user@host:port (the SSH server and your account on it), not "${text}".`);
  }
  return { user: match[1]!, host: match[2]!.replace(/^\[(.*)\]$/, '$1'), port };
}

export function describeSsh(ssh: Pick<SshSettings, 'host' | 'port' | 'user'>): string {
  const host = ssh.host.includes(':') ? `[${ssh.host}]` : ssh.host;
  return `${ssh.user}@${host}${ssh.port === DEFAULT_SSH_PORT ? '' : `:${ssh.port}`}`;
}
