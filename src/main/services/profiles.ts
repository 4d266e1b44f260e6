/**
 * Saved connections, in `profiles.json` in the data folder. Database passwords are
 * kept only encrypted by the SecretBox (never in clear, never sent to the renderer).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile, ProfileInput } from '../../shared/ipc/contract.js';
import { definedOnly } from '../../shared/objects.js';
import { sameDatabaseAccount } from '../../shared/profiles.js';
import { AppFailure } from '../../shared/errors.js';
import type { TlsSettings } from '../../shared/tls.js';
import { parseProfileFile, serializeProfileFile, type StoredProfile } from '../../core/profiles/profile-file.js';
import type { SecretBox } from './secret-box.js';


/** TLS settings as kept: trimmed paths, nothing empty, nothing at all when all is default. */
function tlsFields(tls: TlsSettings | undefined): TlsSettings | undefined {
  if (tls === undefined) return undefined;
  const kept = definedOnly({ mode: tls.mode, ca: tls.ca?.trim() || undefined, cert: tls.cert?.trim() || undefined, key: tls.key?.trim() || undefined });
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** The same SSH key file on the same SSH account: a stored passphrase still applies. */
function sameSshKey(a: Pick<StoredProfile, 'ssh'>, b: Pick<StoredProfile, 'ssh'>): boolean {
  return a.ssh?.keyFile !== undefined && a.ssh.keyFile === b.ssh?.keyFile && a.ssh.host === b.ssh.host && a.ssh.user === b.ssh.user;
}

export class ProfileStore {
  private readonly file: string;

  constructor(
    folder: string,
    private readonly secrets: SecretBox,
  ) {
    this.file = join(folder, 'profiles.json');
  }

  private read(): StoredProfile[] {
    if (!existsSync(this.file)) return [];
    // Every change reads first: a file that cannot be read is never overwritten.
    return parseProfileFile(readFileSync(this.file, 'utf8'), this.file);
  }

  private write(profiles: StoredProfile[]): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, serializeProfileFile(profiles), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  private visible({ sealedPassword, sealedSshPassphrase, ...profile }: StoredProfile): Profile {
    // Without a working keyring a stored secret cannot be used: ask for it instead.
    const usable = (sealed: string | undefined) => sealed !== undefined && this.secrets.available();
    return { ...profile, hasPassword: usable(sealedPassword), hasSshPassphrase: usable(sealedSshPassphrase) };
  }

  list(): Profile[] {
    return this.read().map((p) => this.visible(p)).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): Profile {
    const found = this.read().find((p) => p.id === id);
    if (!found) throw new AppFailure('NOT_FOUND', 'That saved connection no longer exists.');
    return this.visible(found);
  }

  /** The stored password, decrypted; undefined when none is stored. */
  password(id: string): string | undefined {
    return this.unseal(this.read().find((p) => p.id === id)?.sealedPassword);
  }

  /** The stored SSH key passphrase, decrypted; undefined when none is stored. */
  sshPassphrase(id: string): string | undefined {
    return this.unseal(this.read().find((p) => p.id === id)?.sealedSshPassphrase);
  }

  private unseal(sealed: string | undefined): string | undefined {
    if (sealed === undefined || !this.secrets.available()) return undefined;
    try {
      return this.secrets.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      return undefined;
    }
  }

  /**
   * What `input` would be once saved, without saving it (to test a connection before it
   * is kept), and the password it would connect with: the one typed, else the stored one
   * while it points at the same account.
   */
  preview(input: ProfileInput): { profile: Profile; password: string | undefined; sshPassphrase: string | undefined } {
    const existing = input.id ? this.read().find((p) => p.id === input.id) : undefined;
    const profile = this.normalize(input, existing);
    const stored = existing !== undefined && sameDatabaseAccount(existing, profile) ? this.password(existing.id) : undefined;
    const storedPassphrase = existing !== undefined && sameSshKey(existing, profile) ? this.sshPassphrase(existing.id) : undefined;
    return {
      profile: { ...this.visible(profile), id: existing?.id ?? 'unsaved' },
      password: input.password || stored,
      sshPassphrase: input.sshPassphrase || storedPassphrase,
    };
  }

  private normalize(input: ProfileInput, existing: StoredProfile | undefined): StoredProfile {
    const { password: _password, sshPassphrase: _passphrase, ...fields } = input;
    const isServer = fields.engine !== 'sqlite';
    return {
      id: existing?.id ?? randomUUID(),
      name: fields.name.trim(),
      engine: fields.engine,
      prefix: fields.prefix.trim(),
      readOnly: fields.readOnly,
      superUser: fields.superUser,
      ...(fields.gcMaxlifetime !== undefined ? { gcMaxlifetime: fields.gcMaxlifetime } : {}),
      ...(fields.asOf !== undefined ? { asOf: fields.asOf } : {}),
      ...(fields.production ? { production: true } : {}),
      ...(isServer
        ? definedOnly({
            host: fields.host?.trim(),
            port: fields.port,
            database: fields.database?.trim(),
            user: fields.user?.trim(),
            schema: fields.engine === 'pgsql' ? fields.schema?.trim() || undefined : undefined,
            tls: tlsFields(fields.tls),
            ssh: fields.ssh
              ? definedOnly({ host: fields.ssh.host.trim(), port: fields.ssh.port, user: fields.ssh.user.trim(), keyFile: fields.ssh.keyFile?.trim() || undefined })
              : undefined,
          })
        : definedOnly({ file: fields.file?.trim() })),
    };
  }

  save(input: ProfileInput): Profile {
    const profiles = this.read();
    const existing = input.id ? profiles.find((p) => p.id === input.id) : undefined;
    if (input.id && !existing) throw new AppFailure('NOT_FOUND', 'That saved connection no longer exists.');
    const { password } = input;
    const isServer = input.engine !== 'sqlite';
    const stored = this.normalize(input, existing);
    // undefined keeps the stored password, '' forgets it; without a keyring nothing is
    // stored. A password is never carried over to another server, database or account.
    const sameAccount = existing !== undefined && sameDatabaseAccount(existing, stored);
    const keep = password === undefined && sameAccount ? existing.sealedPassword : undefined;
    const sealed =
      password && isServer && this.secrets.available() ? this.secrets.encrypt(password).toString('base64') : keep;
    if (sealed !== undefined && isServer) stored.sealedPassword = sealed;
    // The passphrase belongs to the key: kept while the tunnel uses the same key file.
    const { sshPassphrase } = input;
    const keepPassphrase = sshPassphrase === undefined && existing !== undefined && sameSshKey(existing, stored) ? existing.sealedSshPassphrase : undefined;
    const sealedPassphrase =
      sshPassphrase && stored.ssh?.keyFile && this.secrets.available() ? this.secrets.encrypt(sshPassphrase).toString('base64') : keepPassphrase;
    if (sealedPassphrase !== undefined && stored.ssh?.keyFile) stored.sealedSshPassphrase = sealedPassphrase;
    this.write(existing ? profiles.map((p) => (p.id === stored.id ? stored : p)) : [...profiles, stored]);
    return this.visible(stored);
  }

  delete(id: string): void {
    this.write(this.read().filter((p) => p.id !== id));
  }
}
