/**
 * The connections saved by the desktop app (`profiles.json` in the shared data folder),
 * read by the CLI's `--profile <name>`. Only their fields are used: a stored database
 * password is sealed with the OS keyring through Electron, which the CLI cannot open,
 * so the CLI asks for it (or reads SESSION_INSPECTOR_DB_PASSWORD) instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure } from '../../shared/errors.js';
import { parseProfileFile, type StoredProfile } from './profile-file.js';

export type SavedConnection = Omit<StoredProfile, 'sealedPassword' | 'sealedSshPassphrase'> & { hasSealedPassword: boolean };

export function profilesFile(dataHome: string): string {
  return join(dataHome, 'profiles.json');
}

/** The saved connection with this name (any letter case); refused with the names there are when none is. */
export function findSavedConnection(dataHome: string, name: string): SavedConnection {
  const file = profilesFile(dataHome);
  const profiles = existsSync(file) ? parseProfileFile(readFileSync(file, 'utf8'), file) : [];
  const wanted = name.trim().toLowerCase();
  const found = profiles.filter((p) => p.name.trim().toLowerCase() === wanted);
  if (found.length !== 1) {
    const names = profiles.map((p) => `"${p.name}"`).join(', ');
    throw new AppFailure(
      'USAGE',
      found.length > 1
        ? `Several saved connections are named "${name}": rename one in the app.`
        : profiles.length === 0
          ? `There are no saved connections (the app saves them in ${file}).`
          : `No saved connection is named "${name}". Saved connections: ${names}.`,
    );
  }
  const { sealedPassword, sealedSshPassphrase: _passphrase, ...fields } = found[0]!;
  return { ...fields, hasSealedPassword: sealedPassword !== undefined };
}
