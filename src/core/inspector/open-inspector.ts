/**
 * The one way the app and the CLI set up an inspector: open the site, then put the
 * inspector on it with the site's settings and this computer's records (audit log and
 * sign-in flood records in the shared data folder).
 */
import { AuditLog } from '../audit/audit-log.js';
import { openDrupalSite, type SiteOptions } from '../site.js';
import { Inspector } from './inspector.js';
import { openLocator } from '../net/geo.js';
import { sniffFile } from '../dumps/dump-file.js';
import type { ImportProgress } from '../dumps/import-dump.js';
import { snapshotOfDump, type SnapshotRecord } from '../dumps/snapshot-store.js';
import type { DumpImporter } from '../dumps/import-worker.js';
import { AppFailure } from '../../shared/errors.js';

/** How a site behaves that its database does not say (settings.php / services.yml). */
export interface SiteSettings {
  /** security.enable_super_user (default true). */
  superUser?: boolean;
  /** session.storage.options.gc_maxlifetime (default 200000 s). */
  gcMaxlifetime?: number;
  /** Judge activity as of this unix time (a snapshot); default now. */
  asOf?: number;
}

export interface InspectorSetup extends SiteOptions, SiteSettings {
  /** The per-user data folder shared by the app and the CLI. */
  dataHome: string;
  /** The clock for records of revokes (tests may fix it). */
  now?: () => number;
  /** The operator's own MaxMind databases (City, Country, ASN) beside the shipped countries. */
  geoip?: string[];
  /** A dump given as the database: how its import goes, and how to stop it. */
  onImportProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Where a dump's import runs (default: in this thread). */
  dumpImporter?: DumpImporter;
}

/** Opens the site and returns its inspector; `inspector.site.db` is the connection. */
export async function openInspector(setup: InspectorSetup): Promise<Inspector> {
  const { dataHome, superUser, gcMaxlifetime, asOf, now, geoip, onImportProgress: _progress, signal: _signal, dumpImporter: _importer, ...site } = setup;
  // Read before connecting: a wrong file is the operator's to fix, whatever the site.
  const locate = openLocator(geoip ?? []);
  const dump = site.target.engine === 'sqlite' ? await openDump(setup) : null;
  const opened = dump ? await openDumpSite(site, dump) : await openDrupalSite(site);
  return new Inspector(opened, {
    auditLog: AuditLog.in(dataHome),
    ...(superUser !== undefined ? { superUser } : {}),
    ...(gcMaxlifetime !== undefined ? { gcMaxlifetime } : {}),
    // A dump is judged as of when it was made, unless told otherwise.
    ...(asOf !== undefined ? { asOf } : dump ? { asOf: dump.record.asOf } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(dump ? { snapshot: dump.record } : {}),
    locate,
  });
}

/** A file that is a dump: its snapshot (made now, or the one made before). Null for SQLite. */
async function openDump(setup: InspectorSetup): Promise<{ record: SnapshotRecord; file: string } | null> {
  const { file } = setup.target as { file: string };
  const kind = await sniffFile(file);
  if (kind.kind !== 'dump') return null;
  return snapshotOfDump(setup.dataHome, file, kind, {
    ...(setup.signal ? { signal: setup.signal } : {}),
    ...(setup.onImportProgress ? { onProgress: setup.onImportProgress } : {}),
    ...(setup.sqliteNativeBinding ? { nativeBinding: setup.sqliteNativeBinding } : {}),
    ...(setup.dumpImporter ? { importer: setup.dumpImporter } : {}),
  });
}

/**
 * A dump's snapshot, opened read-only (by construction: nothing may be revoked in a
 * copy), with the dump's table prefix when it has exactly one Drupal site. Messages
 * about the site name the dump, not the snapshot file behind it.
 */
async function openDumpSite(site: SiteOptions, dump: { record: SnapshotRecord; file: string }) {
  const { prefixes } = dump.record;
  // No prefix given (or an empty one): the dump's own, when it has exactly one site.
  const given = site.prefix ? site.prefix : undefined;
  if (given === undefined && prefixes.length > 1) {
    throw new AppFailure(
      'DATABASE',
      `This dump holds the tables of several Drupal sites, by table prefix: ${prefixes.map((p) => (p === '' ? '(none)' : `"${p}"`)).join(', ')}. Choose one with the table prefix (--prefix on the command line).`,
    );
  }
  const prefix = given ?? prefixes[0] ?? '';
  try {
    return await openDrupalSite({ ...site, target: { engine: 'sqlite', file: dump.file, tablePrefixed: true }, prefix, readOnly: true });
  } catch (error) {
    if (error instanceof AppFailure) throw new AppFailure(error.code, error.message.split(`sqlite:${dump.file}`).join(`the dump ${dump.record.source.path}`));
    throw error;
  }
}
