/**
 * Flood control for sign-in, as Drupal's user module does it (user.flood: 5 failures
 * per user in 6 hours, 50 per client address in an hour), kept on this computer for
 * the app and the CLI alike: `sign-in-failures.json` in the data folder. This computer
 * is one client, so the per-address limit becomes a per-site limit.
 *
 * Only hashes of the site and of the typed name are stored: a name field sometimes
 * receives a password by mistake.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../shared/errors.js';

export interface FloodLimit {
  count: number;
  windowSeconds: number;
}

export const DRUPAL_FLOOD_LIMITS = {
  perUser: { count: 5, windowSeconds: 6 * 3600 },
  perSite: { count: 50, windowSeconds: 3600 },
} as const satisfies Record<string, FloodLimit>;

const FAILURE = z.object({ site: z.string(), user: z.string(), time: z.number() });
const FILE = z.object({ version: z.literal(1), failures: z.array(FAILURE) });
type Failure = z.infer<typeof FAILURE>;

/** Enough to hold every failure that can still count, whatever happens. */
const MAX_KEPT = 5000;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

export class SignInFlood {
  constructor(
    readonly file: string,
    private readonly limits: { perUser: FloodLimit; perSite: FloodLimit } = DRUPAL_FLOOD_LIMITS,
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  static in(folder: string): SignInFlood {
    return new SignInFlood(join(folder, 'sign-in-failures.json'));
  }

  private keys(site: string, name: string) {
    return { site: digest(site), user: digest(`${site}\u0000${name.trim().toLowerCase()}`) };
  }

  /** A damaged or unreadable file counts as no failures: it must never lock anyone out for good. */
  private read(): Failure[] {
    try {
      const parsed = FILE.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.failures : [];
    } catch {
      return [];
    }
  }

  private write(failures: Failure[]): void {
    const now = this.clock();
    const longest = Math.max(this.limits.perUser.windowSeconds, this.limits.perSite.windowSeconds);
    const kept = failures.filter((f) => f.time > now - longest).slice(-MAX_KEPT);
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ version: 1, failures: kept }), { mode: 0o600 });
      renameSync(temporary, this.file);
    } catch {
      // Flood control is a brake, not a gate: a read-only data folder must not block sign-in.
    }
  }

  /** Throws SIGN_IN_FAILED when this name, or this site, has failed too often lately. */
  assertAllowed(site: string, name: string): void {
    const now = this.clock();
    const key = this.keys(site, name);
    const failures = this.read();
    const recent = (limit: FloodLimit, match: (f: Failure) => boolean) => {
      const hits = failures.filter((f) => match(f) && f.time > now - limit.windowSeconds);
      return hits.length >= limit.count ? hits[hits.length - limit.count]!.time + limit.windowSeconds : null;
    };
    const userUntil = recent(this.limits.perUser, (f) => f.user === key.user);
    const siteUntil = recent(this.limits.perSite, (f) => f.site === key.site);
    const until = Math.max(userUntil ?? 0, siteUntil ?? 0);
    if (until === 0) return;
    const when = new Date(until * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    throw new AppFailure(
      'SIGN_IN_FAILED',
      userUntil !== null
        ? `Too many failed sign-ins for "${name.trim()}" on this site (${this.limits.perUser.count} within ${this.limits.perUser.windowSeconds / 3600} hours). Try again after ${when}.`
        : `Too many failed sign-ins on this site from this computer (${this.limits.perSite.count} within an hour). Try again after ${when}.`,
    );
  }

  recordFailure(site: string, name: string): void {
    this.write([...this.read(), { ...this.keys(site, name), time: this.clock() }]);
  }

  /**
   * A successful sign-in clears that name's failures, as Drupal's flood->clear() does;
   * they still count toward the site's limit, as Drupal's per-address events do.
   */
  recordSuccess(site: string, name: string): void {
    const { user } = this.keys(site, name);
    const failures = this.read();
    if (failures.some((f) => f.user === user)) this.write(failures.map((f) => (f.user === user ? { ...f, user: '' } : f)));
  }
}
