/**
 * Checks a password against `users_field_data.pass`, for every algorithm a Drupal
 * 8–11 site can hold: phpass `$S$` (8.0–10.0), `U$S$` (passwords upgraded from
 * Drupal 6), `$P$`/`$H$` (phpBB/WordPress-style md5 phpass), bcrypt (10.1+ default)
 * and argon2i/argon2id (11.4 option). bcrypt and argon2 go through hash-wasm, a
 * maintained WebAssembly library, so no native addon has to match Electron's ABI.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { argon2Verify, bcryptVerify } from 'hash-wasm';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Drupal's PhpassHashedPassword::PASSWORD_MAX_LENGTH. */
const MAX_PASSWORD_BYTES = 512;
const PHPASS_HASH_LENGTH = 55;

/** phpass's little-endian base64 variant (_password_base64_encode). */
function phpassBase64(input: Buffer, count: number): string {
  let output = '';
  let i = 0;
  do {
    let value = input[i++]!;
    output += ITOA64[value & 0x3f];
    if (i < count) value |= input[i]! << 8;
    output += ITOA64[(value >> 6) & 0x3f];
    if (i++ >= count) break;
    if (i < count) value |= input[i]! << 16;
    output += ITOA64[(value >> 12) & 0x3f];
    if (i++ >= count) break;
    output += ITOA64[(value >> 18) & 0x3f];
  } while (i < count);
  return output;
}

function phpassCrypt(algorithm: 'sha512' | 'md5', password: Buffer, setting: string): string | null {
  const log2 = ITOA64.indexOf(setting[3] ?? '');
  if (log2 < 7 || log2 > 30) return null;
  const salt = setting.slice(4, 12);
  if (salt.length !== 8) return null;
  let hash = createHash(algorithm).update(salt, 'latin1').update(password).digest();
  for (let count = 1 << log2; count > 0; count--) {
    hash = createHash(algorithm).update(hash).update(password).digest();
  }
  return (setting.slice(0, 12) + phpassBase64(hash, hash.length)).slice(0, PHPASS_HASH_LENGTH);
}

/**
 * Creates a Drupal 8 style `$S$` hash (used to make demo and test accounts; Drupal
 * itself uses log2 = 16, 'E').
 */
export function phpassHash(password: string, salt: string, log2 = 16): string {
  if (!/^[./0-9A-Za-z]{8}$/.test(salt)) throw new Error('A phpass salt is 8 characters of ./0-9A-Za-z');
  return phpassCrypt('sha512', Buffer.from(password, 'utf8'), `$S$${ITOA64[log2]}${salt}`)!;
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function checkPhpass(password: string, stored: string): boolean {
  let secret = Buffer.from(password, 'utf8');
  let hash = stored;
  if (hash.startsWith('U$')) {
    // Drupal 6 upgrade: the stored hash is of md5(password).
    hash = hash.slice(1);
    secret = Buffer.from(createHash('md5').update(secret).digest('hex'), 'latin1');
  }
  const algorithm = hash.startsWith('$S$') ? 'sha512' : 'md5';
  const computed = phpassCrypt(algorithm, secret, hash);
  return computed !== null && constantTimeEquals(computed, hash);
}

export type HashKind = 'phpass' | 'bcrypt' | 'argon2' | 'unknown';

export function hashKind(stored: string): HashKind {
  if (/^U?\$[SPH]\$/.test(stored)) return 'phpass';
  if (/^\$2[abxy]\$\d\d\$/.test(stored)) return 'bcrypt';
  if (/^\$argon2(i|id)\$/.test(stored)) return 'argon2';
  return 'unknown';
}

/**
 * The most work one password check may cost. A hash in the database chooses its own
 * cost, and the database may be hostile (a snapshot from elsewhere): without a cap, a
 * `$S$` of log2 30 or an argon2 of m = 1 GiB would make every sign-in, even of unknown
 * users (decoys copy the site's parameters), take minutes. The caps sit far above what
 * Drupal and PHP write: `$S$` log2 16 ('E'), bcrypt cost 10 (PHP 8.4: 12), argon2
 * m = 64 MiB, t = 4, p = 1.
 */
export const HASH_COST_LIMITS = {
  phpassLog2: 20,
  bcryptCost: 15,
  argon2MemoryKiB: 256 * 1024,
  argon2Iterations: 16,
  argon2Parallelism: 16,
} as const;

/** Why checking against `stored` would cost more than the limits allow, or null. */
export function excessiveHashCost(stored: string): string | null {
  const L = HASH_COST_LIMITS;
  switch (hashKind(stored)) {
    case 'phpass': {
      const log2 = ITOA64.indexOf(stored.replace(/^U/, '')[3] ?? '');
      return log2 > L.phpassLog2 ? `a phpass hash with 2^${log2} rounds (at most 2^${L.phpassLog2})` : null;
    }
    case 'bcrypt': {
      const cost = Number(stored.slice(4, 6));
      return cost > L.bcryptCost ? `a bcrypt hash of cost ${cost} (at most ${L.bcryptCost})` : null;
    }
    case 'argon2': {
      const p = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
      if (!p) return null;
      const [m, t, par] = [Number(p[1]), Number(p[2]), Number(p[3])];
      if (m > L.argon2MemoryKiB || t > L.argon2Iterations || par > L.argon2Parallelism) {
        return `an argon2 hash with m=${m} KiB, t=${t}, p=${par} (at most m=${L.argon2MemoryKiB}, t=${L.argon2Iterations}, p=${L.argon2Parallelism})`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** bcrypt reads at most 72 bytes of a password; PHP's crypt() ignores the rest. */
const BCRYPT_MAX_BYTES = 72;

/**
 * True when `password` matches `stored`. Never throws: malformed hashes do not match.
 * An empty password never matches (Drupal's UserAuth refuses it before any check), and
 * a hash costlier than HASH_COST_LIMITS is not computed.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored || password === '' || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return false;
  if (excessiveHashCost(stored) !== null) return false;
  try {
    switch (hashKind(stored)) {
      case 'phpass':
        return checkPhpass(password, stored);
      case 'bcrypt':
        // $2y$ is PHP's name for the fixed $2b$ algorithm; the bytes are identical.
        // Like PHP, only the first 72 bytes count (hash-wasm throws on longer input).
        return await bcryptVerify({
          password: Buffer.from(password, 'utf8').subarray(0, BCRYPT_MAX_BYTES),
          hash: stored.replace(/^\$2[xy]\$/, '$2b$'),
        });
      case 'argon2':
        return await argon2Verify({ password, hash: stored });
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** Drupal 8's default: `$S$` with 2^16 rounds (core's own test vector). */
const DEFAULT_DECOY = '$S$E4a4O.NdAXjqlYYciUSWTPJTsa2qODJPlosxyPHa4zG0BmcIPH.U';

/**
 * A hash that matches no password but costs what `sample` costs to check: same
 * algorithm and parameters, other salt and digest. Checked when the user does not
 * exist, so "unknown user" takes as long as "wrong password".
 */
export function decoyHashLike(sample: string | null): string {
  // A hostile sample must not make unknown users costly: past the caps, the default.
  if (sample !== null && excessiveHashCost(sample) !== null) return DEFAULT_DECOY;
  switch (sample === null ? 'unknown' : hashKind(sample)) {
    case 'phpass':
      return /^\$[SPH]\$[./0-9A-Za-z]/.test(sample!) ? `${sample!.slice(0, 4)}DecoySlt${'.'.repeat(sample!.startsWith('$S$') ? 43 : 22)}` : DEFAULT_DECOY;
    case 'bcrypt':
      return `${sample!.slice(0, 7)}${'.'.repeat(53)}`;
    case 'argon2': {
      const parameters = /^(\$argon2id?\$v=\d+\$m=\d+,t=\d+,p=\d+\$)/.exec(sample!)?.[1];
      return parameters ? `${parameters}ZGVjb3lzYWx0ZGVjb3k$${'A'.repeat(43)}` : DEFAULT_DECOY;
    }
    default:
      return DEFAULT_DECOY;
  }
}

/**
 * What a hash costs to check, as a key: algorithm and parameters, not salt or digest.
 * Hashes with the same shape take the same time to verify.
 */
export function hashShape(stored: string): string {
  switch (hashKind(stored)) {
    case 'phpass':
      return stored.slice(0, stored.startsWith('U') ? 5 : 4);
    case 'bcrypt':
      return stored.slice(0, 7);
    case 'argon2':
      return /^\$argon2id?\$v=\d+\$m=\d+,t=\d+,p=\d+\$/.exec(stored)?.[0] ?? 'argon2';
    default:
      return 'unknown';
  }
}
