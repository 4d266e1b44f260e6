/**
 * The format of `profiles.json`, validated on every read. The file says its version:
 * - version 1 is the current one;
 * - a file without a version (written before versions were recorded) has the same
 *   fields and is read as version 1, then rewritten as such on the next save;
 * - a newer version was written by a newer Session Inspector: it is refused, and never
 *   rewritten, so nothing in it is lost;
 * - a damaged file, or an entry that is not a connection, is refused with a message
 *   that says which, and the file is left as it is.
 */
import { z } from 'zod';
import { ENGINES } from '../../shared/engines.js';
import { AppFailure } from '../../shared/errors.js';
import { LAST_UNIX_TIME } from '../../shared/limits.js';
import { TLS_MODES } from '../../shared/tls.js';

export const PROFILE_FILE_VERSION = 1;

export const storedProfileSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  engine: z.enum(ENGINES),
  file: z.string().exactOptional(),
  host: z.string().exactOptional(),
  port: z.number().int().min(1).max(65535).exactOptional(),
  database: z.string().exactOptional(),
  user: z.string().exactOptional(),
  prefix: z.string(),
  schema: z.string().exactOptional(),
  readOnly: z.boolean(),
  superUser: z.boolean(),
  gcMaxlifetime: z.number().int().positive().exactOptional(),
  asOf: z.number().int().min(0).max(LAST_UNIX_TIME).exactOptional(),
  /** Marked as a production site (a field added in the same file version: older files simply lack it). */
  production: z.boolean().exactOptional(),
  /** TLS to the server (a field added in the same file version: absent, the host's default). Paths only, never key material. */
  tls: z
    .object({
      mode: z.enum(TLS_MODES).exactOptional(),
      ca: z.string().exactOptional(),
      cert: z.string().exactOptional(),
      key: z.string().exactOptional(),
    })
    .strict()
    .exactOptional(),
  /** Through an SSH server (a field added in the same file version). */
  ssh: z
    .object({ host: z.string(), port: z.number().int().min(1).max(65535), user: z.string(), keyFile: z.string().exactOptional() })
    .strict()
    .exactOptional(),
  /** base64 of the SecretBox-encrypted password. */
  sealedPassword: z.string().exactOptional(),
  /** base64 of the SecretBox-encrypted SSH key passphrase. */
  sealedSshPassphrase: z.string().exactOptional(),
});

export type StoredProfile = z.infer<typeof storedProfileSchema>;

const fileSchema = z.object({
  version: z.number().int().positive().exactOptional(),
  profiles: z.array(z.unknown()),
});

/** Reads the file's text into profiles, or throws saying what is wrong with it. */
export function parseProfileFile(text: string, path: string): StoredProfile[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AppFailure('INTERNAL', `The saved connections in ${path} cannot be read (damaged file). Move it away to start afresh.`);
  }
  const file = fileSchema.safeParse(data);
  if (!file.success) {
    throw new AppFailure('INTERNAL', `${path} is not a file of saved connections (no "profiles" list). Move it away to start afresh.`);
  }
  const version = file.data.version ?? PROFILE_FILE_VERSION;
  if (version > PROFILE_FILE_VERSION) {
    throw new AppFailure(
      'INTERNAL',
      `The saved connections in ${path} were written by a newer Session Inspector (file version ${version}; this one reads ${PROFILE_FILE_VERSION}). ` +
        'Update Session Inspector; the file is left untouched.',
    );
  }
  return file.data.profiles.map((entry, index) => {
    const profile = storedProfileSchema.safeParse(entry);
    if (!profile.success) {
      const issue = profile.error.issues[0];
      const label = typeof (entry as { name?: unknown })?.name === 'string' ? `"${(entry as { name: string }).name}"` : `number ${index + 1}`;
      throw new AppFailure(
        'INTERNAL',
        `Saved connection ${label} in ${path} is damaged (${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}). Fix or remove it; the file is left untouched.`,
      );
    }
    return profile.data;
  });
}

export function serializeProfileFile(profiles: StoredProfile[]): string {
  return JSON.stringify({ version: PROFILE_FILE_VERSION, profiles }, null, 2);
}
