import type { SecretBox } from '../../src/main/services/secret-box.js';

/** Stands in for Electron's safeStorage in tests: reversible, and visibly not the plain text. */
export const STAND_IN_KEYRING: SecretBox = {
  available: () => true,
  encrypt: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
  decrypt: (sealed) => Buffer.from(sealed.toString().replace(/^sealed:/, ''), 'hex').toString(),
};
