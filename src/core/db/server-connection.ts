/**
 * What both server drivers do around their own pool, written once: the TLS plan (with
 * `prefer`'s fallback to a plain connection), the connect and statement timeouts, and the
 * SSH tunnel that carries every connection of the pool and closes with it.
 */
import { openTunnel, type SshTunnel } from '../ssh/tunnel.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, queryTimeouts, type Database, type OpenOptions } from './database.js';
import type { ConnectionContext } from './driver-errors.js';
import { closingAlso } from './pooled-database.js';
import type { ServerTarget } from './target.js';
import { connectionContext, openWithTls, planTls, type TlsPlan } from './tls.js';

/** What a driver's pool is built from. */
export interface ServerSetup {
  plan: TlsPlan;
  connectTimeoutMs: number;
  /** Statement limits (see queryTimeouts). */
  timeouts: { server: number; client: number };
  /** For the messages of driver errors: the address, the limits, the TLS mode. */
  context: ConnectionContext;
  /** The SSH tunnel the connections go through, or null for a direct connection. */
  tunnel: SshTunnel | null;
}

/**
 * Opens the driver's pool (`openPool`, with or without TLS) on the target: through its
 * tunnel when it has one, the tunnel opened and proven first and closed with the pool.
 */
export async function openServerConnection(
  target: ServerTarget,
  options: OpenOptions,
  openPool: (setup: ServerSetup, encrypt: boolean) => Promise<Database>,
): Promise<Database> {
  const plan = planTls(target);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timeouts = queryTimeouts(options);
  const context = { ...connectionContext(target, plan, connectTimeoutMs), queryTimeouts: timeouts };
  const tunnel = await openTunnel(target.ssh, connectTimeoutMs);
  const setup: ServerSetup = { plan, connectTimeoutMs, timeouts, context, tunnel };
  try {
    const db = await openWithTls(plan, (encrypt) => openPool(setup, encrypt));
    return tunnel ? closingAlso(db, tunnel) : db;
  } catch (error) {
    await tunnel?.close();
    throw error;
  }
}
