/**
 * Throwaway PostgreSQL 15 and MariaDB servers for the integration tests: each in its
 * own temp folder, on 127.0.0.1 and a free port, started by the test setup and
 * stopped by pid afterwards. Nothing else on the machine is touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface ServerInfo {
  host: string;
  port: number;
  /** A superuser for creating test databases. */
  user: string;
  password: string;
}

export interface RunningServer {
  info: ServerInfo;
  /** Stops the server process, keeping its data (a server going away). */
  pause(): Promise<void>;
  /** Kills it abruptly, as a crash would (PostgreSQL: SIGQUIT, MariaDB: SIGKILL). */
  crash(): Promise<void>;
  /** Starts it again on the same data and port. */
  resume(): Promise<void>;
  /** Stops it and deletes its data. */
  stop(): Promise<void>;
}

/** Wraps a server process that can be stopped and started again on the same data. */
async function manage(dir: string, info: ServerInfo, launch: () => ChildProcess, ready: (child: ChildProcess) => Promise<void>, signal: NodeJS.Signals, crashSignal: NodeJS.Signals): Promise<RunningServer> {
  let child = launch();
  await ready(child);
  const pause = () => stopChild(child, signal);
  return {
    info,
    pause,
    crash: () => stopChild(child, crashSignal),
    resume: async () => {
      child = launch();
      await ready(child);
    },
    stop: async () => {
      await pause();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const ADMIN_PASSWORD = 'admin-test-password';

export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'postgres'));
}

function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export function mariadbAvailable(): boolean {
  return (which('mariadbd') ?? (existsSync('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : null)) !== null && which('mariadb-install-db') !== null;
}

/** A port on 127.0.0.1 that nothing listens on now, for a server started by a test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<void>, child: ChildProcess, log: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await check();
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  const output = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
  throw new Error(`${what} did not start: ${String(last)}\n${output}`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

function runOrThrow(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string }) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout || result.error}`);
}

/** A server with TLS on: its certificate and key, the CA it trusts for client certificates. */
export interface ServerTls {
  cert: string;
  key: string;
  ca: string;
  /** Plain connections over TCP are refused (pg_hba.conf's hostssl; require_secure_transport). */
  required?: boolean;
}

export async function startPostgres(options: { durable?: boolean; tls?: ServerTls } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'si-pg-'));
  // PostgreSQL refuses to run as root: run it as the postgres system user then.
  const asRoot = userInfo().uid === 0;
  const ids: { uid?: number; gid?: number } = asRoot ? pgUserIds() : {};
  if (asRoot) chownSync(dir, ids.uid!, ids.gid!);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  if (asRoot) chownSync(pwfile, ids.uid!, ids.gid!);
  runOrThrow(
    join(PG_BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...ids, cwd: dir },
  );
  const tlsArgs: string[] = [];
  if (options.tls) {
    // The server reads its key as its own user, and only from a file no one else can read.
    for (const [name, source] of [['server.crt', options.tls.cert], ['server.key', options.tls.key], ['ca.crt', options.tls.ca]] as const) {
      writeFileSync(join(dir, name), readFileSync(source), { mode: 0o600 });
      if (asRoot) chownSync(join(dir, name), ids.uid!, ids.gid!);
    }
    tlsArgs.push('-c', 'ssl=on', '-c', `ssl_cert_file=${join(dir, 'server.crt')}`, '-c', `ssl_key_file=${join(dir, 'server.key')}`, '-c', `ssl_ca_file=${join(dir, 'ca.crt')}`);
    if (options.tls.required) {
      // TCP only with TLS; the user certuser signs in with its client certificate alone.
      writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all certuser 127.0.0.1/32 cert\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
    }
  }
  const port = await freePort();
  const log = join(dir, 'server.log');
  const launch = () => {
    const child = spawn(
      join(PG_BIN, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
        '-c', `synchronous_commit=${options.durable ? 'on' : 'off'}`, '-c', 'full_page_writes=off', '-c', 'logging_collector=off', ...tlsArgs],
      { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      try {
        writeFileSync(log, chunk, { flag: 'a' });
      } catch {
        /* the folder is gone after stop */
      }
    });
    return child;
  };
  const info = { host: '127.0.0.1', port, user: 'postgres', password: ADMIN_PASSWORD };
  const ready = (child: ChildProcess) =>
    waitFor('PostgreSQL', async () => {
      const client = new pg.Client({ ...info, database: 'postgres', ...(options.tls ? { ssl: { rejectUnauthorized: false } } : {}) });
      await client.connect();
      await client.end();
    }, child, log);
  // SIGQUIT is PostgreSQL's immediate shutdown: no clean-up, crash recovery at restart.
  return manage(dir, info, launch, ready, 'SIGINT', 'SIGQUIT');
}

function pgUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('No "postgres" system user to run PostgreSQL as (install the postgresql package).');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A global sql_mode under which mysql2's client-side escaping is unsound. */
export const HOSTILE_SQL_MODE = 'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION';

export interface MariadbOptions {
  /** The server's global sql_mode. */
  sqlMode?: string;
  /** --max-allowed-packet (default 64M). */
  maxAllowedPacket?: string;
  /** Commits survive a killed server (slower; for crash tests). */
  durable?: boolean;
  tls?: ServerTls;
}

export async function startMariadb(options: MariadbOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'si-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysql.sock');
  const user = userInfo().username;
  runOrThrow('mariadb-install-db', [
    '--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', `--user=${user}`,
    '--skip-test-db', '--skip-name-resolve',
  ], { cwd: dir });
  const port = await freePort();
  const log = join(dir, 'server.log');
  const mariadbd = which('mariadbd') ?? '/usr/sbin/mariadbd';
  const launch = () =>
    spawn(
      mariadbd,
      ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1',
        `--pid-file=${join(dir, 'mariadb.pid')}`, `--log-error=${log}`, '--skip-log-bin', '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M', `--innodb-flush-log-at-trx-commit=${options.durable ? 1 : 0}`, `--max-allowed-packet=${options.maxAllowedPacket ?? '64M'}`,
        '--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci', `--user=${user}`,
        ...(options.sqlMode !== undefined ? [`--sql-mode=${options.sqlMode}`] : []),
        ...(options.tls ? [`--ssl-cert=${options.tls.cert}`, `--ssl-key=${options.tls.key}`, `--ssl-ca=${options.tls.ca}`] : []),
        ...(options.tls?.required ? ['--require-secure-transport=ON'] : [])],
      { cwd: dir, stdio: 'ignore' },
    );
  const password = ADMIN_PASSWORD;
  const ready = (child: ChildProcess) =>
    waitFor('MariaDB', async () => {
      const connection = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await connection.query(`CREATE USER IF NOT EXISTS 'admin'@'127.0.0.1' IDENTIFIED BY '${password}'`);
      await connection.query(`GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION`);
      await connection.end();
    }, child, log);
  return manage(dir, { host: '127.0.0.1', port, user: 'admin', password }, launch, ready, 'SIGTERM', 'SIGKILL');
}
