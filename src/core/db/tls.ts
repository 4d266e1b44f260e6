/**
 * A server target's TLS settings turned into what the drivers need: whether to encrypt,
 * what to verify, and the PEM files read and checked once, before anything connects.
 * The mode names are libpq's (src/shared/tls.ts); the drivers map them onto their own
 * options (pg: Node's TLS options; mysql2: rejectUnauthorized / verifyIdentity).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppFailure } from '../../shared/errors.js';
import { effectiveTlsMode, type TlsMode } from '../../shared/tls.js';
import type { ConnectionContext } from './driver-errors.js';
import type { ServerTarget } from './target.js';

export interface TlsPlan {
  mode: TlsMode;
  /** Encrypt at all (every mode but disable). */
  encrypt: boolean;
  /** A plain connection is acceptable when the server offers no TLS (prefer). */
  plainFallback: boolean;
  /** The certificate chain must lead to a trusted authority. */
  verifyChain: boolean;
  /** The certificate must name the host connected to. */
  verifyHost: boolean;
  /** PEM text; absent: Node's bundled authorities. */
  ca?: string;
  cert?: string;
  key?: string;
}

function readPem(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AppFailure('USAGE', `Cannot read the ${what} file ${file} (${code}). Check the path in the TLS settings.`);
  }
  return text;
}

function checkCertificates(text: string, file: string, what: string): string {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new AppFailure('USAGE', `The ${what} file ${file} holds no readable PEM certificate ("-----BEGIN CERTIFICATE-----").`);
  }
  return text;
}

/**
 * What connecting to `target` takes, its files read and validated. libpq's rule holds:
 * `require` with a CA file given verifies the chain, as `verify-ca` does.
 */
export function planTls(target: ServerTarget): TlsPlan {
  const mode = effectiveTlsMode(target.host, target.tls);
  const settings = target.tls ?? {};
  const ca = settings.ca !== undefined ? checkCertificates(readPem(settings.ca, 'CA certificate'), settings.ca, 'CA certificate') : undefined;
  const cert = settings.cert !== undefined ? checkCertificates(readPem(settings.cert, 'client certificate'), settings.cert, 'client certificate') : undefined;
  let key: string | undefined;
  if (settings.key !== undefined) {
    key = readPem(settings.key, 'client key');
    try {
      createPrivateKey(key);
    } catch (error) {
      const encrypted = /passphrase|encrypted/i.test(String((error as Error).message)) || /ENCRYPTED/.test(key);
      throw new AppFailure(
        'USAGE',
        encrypted
          ? `The client key ${settings.key} is protected by a passphrase: give an unencrypted copy (openssl pkey -in key.pem -out plain.pem).`
          : `The client key file ${settings.key} holds no readable PEM private key.`,
      );
    }
  }
  const verifyChain = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && ca !== undefined);
  return {
    mode,
    encrypt: mode !== 'disable',
    plainFallback: mode === 'prefer',
    verifyChain,
    verifyHost: mode === 'verify-full',
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
  };
}

/** The server answered that it has no TLS at all (pg's "N" reply, mysql2's handshake flag). */
export function isNoTlsOffered(error: unknown): boolean {
  // A translated failure keeps the driver's error as its cause (driver-errors.ts).
  const e = ((error as { cause?: unknown } | null)?.cause ?? error) as { code?: string; message?: string } | null;
  return e?.code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support SSL/i.test(e?.message ?? '');
}

/**
 * Opens with TLS as planned; under `prefer`, a server that offers none is opened again
 * without (the database then says it is not encrypted).
 */
export async function openWithTls<D>(plan: TlsPlan, open: (encrypt: boolean) => Promise<D>): Promise<D> {
  if (!plan.encrypt) return open(false);
  try {
    return await open(true);
  } catch (error) {
    if (!plan.plainFallback || !isNoTlsOffered(error)) throw error;
    return open(false);
  }
}

/** What the driver errors need to say which TLS setting to change, and where no answer came from. */
export function connectionContext(target: ServerTarget, plan: TlsPlan, connectTimeoutMs: number): ConnectionContext {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return { address: `${host}:${target.port}`, connectTimeoutMs, tlsMode: plan.mode, tlsModeChosen: target.tls?.mode !== undefined };
}
