/**
 * TLS settings of a server connection, as PostgreSQL's libpq names them: one vocabulary
 * for both engines, the CLI's flags, URL parameters and the connection form. The MySQL
 * clients' spellings (`ssl-mode=VERIFY_IDENTITY`, `ssl-ca`, …) are read as their libpq
 * equivalents.
 */
import { AppFailure } from './errors.js';

export const TLS_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface TlsSettings {
  /** Absent: the default for the host (see defaultTlsMode). */
  mode?: TlsMode;
  /** PEM file of the certificate authorities to trust (else the system's). */
  ca?: string;
  /** PEM files of a client certificate and its key, for servers that ask for one. */
  cert?: string;
  key?: string;
}

/** What each mode does, in the words the form and the help show. */
export const TLS_MODE_DESCRIPTIONS: Record<TlsMode, string> = {
  disable: 'no encryption',
  prefer: 'encrypt when the server offers it, without checking its certificate',
  require: 'always encrypt, without checking the certificate',
  'verify-ca': 'encrypt, and check that a trusted authority signed the certificate',
  'verify-full': 'encrypt, and check the authority and that the certificate names this host',
};

/** The MySQL clients' --ssl-mode values (MySQL 5.7.11+ and MariaDB Connector/C). */
const MYSQL_MODES: Record<string, TlsMode> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

/** A mode as written in a URL, a flag or a file; refused naming the accepted values. */
export function parseTlsMode(value: string, where: string): TlsMode {
  const text = value.trim().toLowerCase();
  if ((TLS_MODES as readonly string[]).includes(text)) return text as TlsMode;
  const mysqlMode = MYSQL_MODES[text];
  if (mysqlMode) return mysqlMode;
  throw new AppFailure(
    'USAGE',
    `Unknown TLS mode "${value}" in ${where}: use ${TLS_MODES.join(', ')} (or MySQL's DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY).`,
  );
}

/** This computer: traffic to it never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/**
 * A server reached over a network is verified in full unless the operator opts out:
 * a database password and session data must not cross it readable or to an impostor.
 * On this computer, TLS is used when offered (libpq's own default).
 */
export function defaultTlsMode(host: string): TlsMode {
  return isLoopbackHost(host) ? 'prefer' : 'verify-full';
}

export function effectiveTlsMode(host: string, tls: TlsSettings | undefined): TlsMode {
  return tls?.mode ?? defaultTlsMode(host);
}

/** Traffic may go unencrypted: marked "not encrypted" on profiles and in the top bar. */
export function mayBeUnencrypted(mode: TlsMode): boolean {
  return mode === 'disable' || mode === 'prefer';
}
