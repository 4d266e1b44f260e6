/**
 * The one way the app and the CLI set up an inspector: open the site, then put the
 * inspector on it with the site's settings and this computer's records (audit log and
 * sign-in flood records in the shared data folder).
 */
import { AuditLog } from '../audit/audit-log.js';
import { openDrupalSite, type SiteOptions } from '../site.js';
import { Inspector } from './inspector.js';
import { openLocator } from '../net/geo.js';

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
}

/** Opens the site and returns its inspector; `inspector.site.db` is the connection. */
export async function openInspector(setup: InspectorSetup): Promise<Inspector> {
  const { dataHome, superUser, gcMaxlifetime, asOf, now, geoip, ...site } = setup;
  // Read before connecting: a wrong file is the operator's to fix, whatever the site.
  const locate = openLocator(geoip ?? []);
  const opened = await openDrupalSite(site);
  return new Inspector(opened, {
    auditLog: AuditLog.in(dataHome),
    ...(superUser !== undefined ? { superUser } : {}),
    ...(gcMaxlifetime !== undefined ? { gcMaxlifetime } : {}),
    ...(asOf !== undefined ? { asOf } : {}),
    ...(now !== undefined ? { now } : {}),
    locate,
  });
}
