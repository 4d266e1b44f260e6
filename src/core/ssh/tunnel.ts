/**
 * A database connection carried through an SSH server (a bastion), with ssh2: no `ssh`
 * process, no local listening port (which any local user could use). Each pooled
 * database connection is one forwarded channel, wrapped as the socket the drivers
 * expect (`TunnelSocket`); TLS to the database, when on, runs inside it end to end.
 *
 * The SSH connection is opened on first use and again after it drops: a tunnel lost
 * mid-session fails the queries in flight (as a lost server does) and the next query
 * opens it anew. The server's host key is checked against known_hosts before anything
 * is sent to it (see known-hosts.ts).
 */
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { AppFailure } from '../../shared/errors.js';
import { describeSsh, type SshHostKeyInfo, type SshSettings } from '../../shared/ssh.js';
import { checkHostKey, fingerprint, hostKeyFromBlob, recordedHostKeys, rememberHostKey, type HostKey } from './known-hosts.js';

type Ssh2 = typeof import('ssh2');

/**
 * The SSH agent to ask for keys when no key file is given: SSH_AUTH_SOCK, else on Windows
 * the pipe of its built-in OpenSSH agent service (which sets no variable).
 */
export function agentSocket(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.SSH_AUTH_SOCK) return env.SSH_AUTH_SOCK;
  return platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined;
}

/**
 * ssh2, loaded when a tunnel is asked for. It is CommonJS: imported from ESM (the built
 * app and CLI), only some names are lifted out of it (`utils` is not), so take the module.
 */
export async function loadSsh2(): Promise<Ssh2> {
  const module = (await import('ssh2')) as Ssh2 & { default?: Ssh2 };
  return module.default ?? module;
}

/** Whether the key file is encrypted, so that its passphrase must be asked for. */
export async function keyNeedsPassphrase(file: string): Promise<boolean> {
  const { utils } = await loadSsh2();
  try {
    const parsed = utils.parseKey(readFileSync(file));
    return parsed instanceof Error && /passphrase|encrypted/i.test(parsed.message);
  } catch {
    return false;
  }
}

/**
 * The host key algorithms that can present each known_hosts key type. With keys recorded
 * for a host, only their types are negotiated (as OpenSSH orders them first): the server
 * shows the key we know, and a man in the middle cannot offer a type we hold none of.
 */
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

function hostKeyAlgorithms(types: readonly string[]): string[] | null {
  const algorithms = types.flatMap((type) => ALGORITHMS_FOR_TYPE[type] ?? []);
  return algorithms.length > 0 ? [...new Set(algorithms)] : null;
}

/** A tunnel as a connection target carries it: where, as whom, and how hosts are trusted. */
export interface SshTarget extends SshSettings {
  /** Session Inspector's own known_hosts (written when a new key is accepted). */
  knownHostsFile: string;
  /** Also trusted, never written: the operator's ~/.ssh/known_hosts. */
  userKnownHostsFile?: string;
  /** An unknown host key is recorded and trusted (--ssh-accept-new, or the app's prompt answered). */
  acceptNewHostKey?: boolean;
  /** The key file's passphrase. */
  passphrase?: string;
  /** The agent's socket (SSH_AUTH_SOCK), used when no key file is given. */
  agentSocket?: string;
}

/** SSH_HOST_KEY, with the key it is about: shown by the app's first-use prompt, recorded if trusted. */
export class HostKeyFailure extends AppFailure {
  constructor(
    message: string,
    hostKey: SshHostKeyInfo,
    readonly key: HostKey,
  ) {
    super('SSH_HOST_KEY', message);
    this.hostKey = hostKey;
  }
}

function readKey(settings: SshSettings, passphrase: string | undefined, parseKey: (data: Buffer, passphrase?: string) => unknown): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(settings.keyFile!);
  } catch (error) {
    throw new AppFailure('USAGE', `Cannot read the SSH key file ${settings.keyFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
  }
  const parsed = parseKey(data, passphrase);
  if (parsed instanceof Error) {
    const encrypted = /passphrase|encrypted|decrypt|integrity/i.test(parsed.message);
    throw new AppFailure(
      'USAGE',
      encrypted
        ? passphrase
          ? `The passphrase for the SSH key ${settings.keyFile} is wrong.`
          : `The SSH key ${settings.keyFile} is protected by a passphrase: give it (the app: SSH key passphrase; the command line: SESSION_INSPECTOR_SSH_PASSPHRASE, or the prompt).`
        : `The SSH key file ${settings.keyFile} holds no private key Session Inspector can read (${parsed.message}).`,
    );
  }
  return data;
}

export class SshTunnel {
  private client: Promise<Client> | null = null;
  private closed = false;
  private readonly where: string;

  private readonly settings: SshSettings;

  constructor(
    private readonly options: SshTarget,
    /** Give up on an SSH server that does not finish its handshake in this time. */
    private readonly readyTimeoutMs: number,
  ) {
    this.settings = options;
    this.where = describeSsh(options);
  }

  /** Opens the SSH connection (proving the host, the key and the account), if not open. */
  async ready(): Promise<void> {
    await this.connection();
  }

  private connection(): Promise<Client> {
    if (this.closed) return Promise.reject(new AppFailure('DATABASE', `The SSH tunnel through ${this.where} was closed.`));
    if (this.client === null) {
      const attempt = ++this.attempts;
      // Forgotten when it fails or drops, so that the next use connects again.
      const forget = () => {
        if (this.attempts === attempt) this.client = null;
      };
      this.client = this.connect(forget);
      this.client.catch(forget);
    }
    return this.client;
  }

  /** Counts connection attempts: a drop reported late must not forget a newer connection. */
  private attempts = 0;

  private async connect(onDrop: () => void): Promise<Client> {
    const { Client: SshClient, utils } = await loadSsh2();
    const { settings, options } = this;
    const privateKey = settings.keyFile !== undefined ? readKey(settings, options.passphrase, utils.parseKey) : undefined;
    if (privateKey === undefined && !options.agentSocket) {
      throw new AppFailure('USAGE', `No way to sign in to the SSH server ${this.where}: give a key file (the app: SSH key file; the command line: --ssh-key), or start an SSH agent (SSH_AUTH_SOCK).`);
    }
    let refused: HostKeyFailure | null = null;
    const client = new SshClient();
    const recorded = recordedHostKeys(this.knownHostsFiles(), settings.host, settings.port);
    const known = hostKeyAlgorithms(recorded.map((k) => k.type));
    const attempt = new Promise<Client>((resolve, reject) => {
      let settled = false;
      const fail = (error: AppFailure) => {
        if (settled) return;
        settled = true;
        client.destroy();
        reject(error);
      };
      const config: ConnectConfig = {
        host: settings.host,
        port: settings.port,
        username: settings.user,
        readyTimeout: this.readyTimeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 3,
        ...(privateKey !== undefined ? { privateKey, ...(options.passphrase ? { passphrase: options.passphrase } : {}) } : { agent: options.agentSocket! }),
        ...(known ? { algorithms: { serverHostKey: known as NonNullable<NonNullable<ConnectConfig['algorithms']>['serverHostKey']> } } : {}),
        hostVerifier: (blob: Buffer) => {
          refused = this.verifyHost(hostKeyFromBlob(blob));
          return refused === null;
        },
      };
      client.once('ready', () => {
        settled = true;
        resolve(client);
      });
      // For the client's whole life, from the start: ssh2 may emit a second error after the
      // first (a reset after a garbled banner), which with no listener would crash the
      // process. After it is up, a drop is reported by the channels in use instead.
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        // Asked for the recorded types only, the server had none of them.
        if (known && recorded[0] && /no matching host key/i.test(error.message)) {
          const { type, file, line } = recorded[0];
          return fail(
            new AppFailure(
              'SSH_HOST_KEY',
              `The SSH server ${this.where} offers no host key of the type recorded for it (${type}, ${file}, line ${line}): it may not be the server recorded. If its keys were replaced, remove that line and connect again.`,
            ),
          );
        }
        fail(refused ?? this.translate(error));
      });
      client.once('close', () => fail(refused ?? new AppFailure('DATABASE', `The SSH server ${this.where} closed the connection while signing in.`)));
      client.connect(config);
    });
    const connected = await attempt;
    // The next use reconnects.
    connected.on('close', onDrop);
    connected.on('end', onDrop);
    return connected;
  }

  /** Null: trusted. Otherwise the failure to report (the connection is refused before signing in). */
  private knownHostsFiles(): string[] {
    const { options } = this;
    return [options.knownHostsFile, ...(options.userKnownHostsFile ? [options.userKnownHostsFile] : [])];
  }

  private verifyHost(key: HostKey): HostKeyFailure | null {
    const { settings, options } = this;
    const check = checkHostKey(this.knownHostsFiles(), settings.host, settings.port, key);
    if (check.status === 'known') return null;
    const print = fingerprint(key);
    const hostKey: SshHostKeyInfo = { host: settings.host, port: settings.port, type: key.type, fingerprint: print, status: check.status };
    if (check.status === 'unknown') {
      if (options.acceptNewHostKey) {
        rememberHostKey(options.knownHostsFile, settings.host, settings.port, key);
        return null;
      }
      return new HostKeyFailure(
        `The SSH server ${this.where} is not known yet: its host key is ${key.type} ${print}. Check that fingerprint with the server's administrator, then accept it (--ssh-accept-new; the app asks).`,
        hostKey,
        key,
      );
    }
    return new HostKeyFailure(
      `The host key of the SSH server ${this.where} is not the one recorded for it (${check.file}, line ${check.line}${check.status === 'revoked' ? ': revoked' : ''}): someone may be intercepting the connection. ` +
        `It now presents ${key.type} ${print}. If the server's key was replaced, remove that line and connect again.`,
      hostKey,
      key,
    );
  }

  private translate(error: Error & { level?: string; code?: string }): AppFailure {
    if (error instanceof AppFailure) return error;
    if (error.level === 'client-authentication') {
      return new AppFailure('DATABASE', `The SSH server ${this.where} refused ${this.settings.keyFile ? `the key ${this.settings.keyFile}` : "the agent's keys"} for the account "${this.settings.user}".`);
    }
    if (error.level === 'client-timeout') {
      return new AppFailure('DATABASE', `No answer from the SSH server ${this.where} after ${Math.round(this.readyTimeoutMs / 1000)} s. Check the host, the port and the network.`);
    }
    if (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'EHOSTUNREACH' || error.code === 'ETIMEDOUT' || error.code === 'EAI_AGAIN') {
      return new AppFailure('DATABASE', `Cannot reach the SSH server ${this.where} (${error.code}). Check the host and the port.`);
    }
    return new AppFailure('DATABASE', `The SSH connection to ${this.where} failed: ${error.message}`);
  }

  /** A channel to host:port as the SSH server sees it. */
  async channel(host: string, port: number): Promise<ClientChannel> {
    const client = await this.connection();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
        if (!error) return resolve(stream);
        const reason = /prohibited/i.test(error.message)
          ? 'the SSH server does not allow forwarding (AllowTcpForwarding)'
          : `the SSH server could not reach it: ${error.message.replace(/^\(SSH\) Channel open failure: /, '')}`;
        reject(new AppFailure('DATABASE', `Cannot open a tunnel through ${this.where} to ${host.includes(':') ? `[${host}]` : host}:${port}: ${reason}.`));
      });
    });
  }

  /** A socket for a driver, connected through the tunnel when the driver asks (pg) or at once (mysql2). */
  socket(host: string, port: number): TunnelSocket {
    return new TunnelSocket(() => this.channel(host, port), host);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    if (client) (await client.catch(() => null))?.end();
  }
}

/**
 * A forwarded channel dressed as the net.Socket the drivers use: connect() opens the
 * channel and emits 'connect'; the rest is a plain Duplex. `_host` is the database's
 * own host name: Node's TLS checks the server certificate against it when the driver
 * gives no name (mysql2 with an address).
 */
export class TunnelSocket extends Duplex {
  private channel: ClientChannel | null = null;
  private opening = false;
  readonly _host: string;

  constructor(
    private readonly open: () => Promise<ClientChannel>,
    host: string,
  ) {
    super();
    this._host = host;
  }

  connect(): this {
    if (this.opening) return this;
    this.opening = true;
    this.open().then(
      (channel) => {
        if (this.destroyed) return void channel.close();
        this.channel = channel;
        channel.on('data', (chunk: Buffer) => {
          if (!this.push(chunk)) channel.pause();
        });
        channel.on('end', () => this.push(null));
        channel.on('close', () => this.destroy());
        channel.on('error', (error: Error) => this.destroy(error));
        this.emit('connect');
      },
      (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.channel) return done(new Error('The SSH tunnel is not open.'));
    this.channel.write(chunk, () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    this.channel?.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.channel?.close();
    // TLS over this stream destroys it when the handshake fails, and reports why on the
    // next tick. A 'close' on the same tick would reach the driver first, read as "lost
    // the connection", and leave the TLS error with nobody listening: close a turn later.
    setImmediate(() => done(error));
  }
}

/** The target's tunnel, open and proven (host key, account), or null when it has none. */
export async function openTunnel(ssh: SshTarget | undefined, readyTimeoutMs: number): Promise<SshTunnel | null> {
  if (ssh === undefined) return null;
  const tunnel = new SshTunnel(ssh, readyTimeoutMs);
  try {
    await tunnel.ready();
  } catch (error) {
    await tunnel.close();
    throw error;
  }
  return tunnel;
}
