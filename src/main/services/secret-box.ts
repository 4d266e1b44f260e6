/**
 * Encryption for stored database passwords. The Electron layer implements it with
 * safeStorage (the OS keyring); where the OS offers none, `available` is false and
 * passwords are not stored at all.
 */
export interface SecretBox {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export const NO_SECRET_BOX: SecretBox = {
  available: () => false,
  encrypt: () => {
    throw new Error('No OS keyring: passwords are not stored');
  },
  decrypt: () => {
    throw new Error('No OS keyring: passwords are not stored');
  },
};
