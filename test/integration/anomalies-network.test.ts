/**
 * With the operator's own ASN database, an account live on several networks at once is
 * an anomaly too (MaxMind's test database: 1.128.0.0 is AS1221, 12.81.92.0 is AS7018).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { Inspector } from '../../src/core/inspector/inspector.js';
import { openLocator } from '../../src/core/net/geo.js';
import { drupalSessionData, randomSid, type SeedSite } from '../../src/core/site-builder/seed.js';
import { buildDataset, NOW, PASSWORDS, UID } from '../support/dataset.js';
import { inspectorFixture } from '../support/fixtures.js';
import { ENGINES } from '../support/engines.js';
import { tempDirs } from '../support/temp.js';

const asn = fileURLToPath(new URL('../fixtures/maxmind/GeoLite2-ASN-Test.mmdb', import.meta.url));
const seed = async (): Promise<SeedSite> => {
  const dataset = await buildDataset();
  const session = (hostname: string) => ({
    uid: UID.member, sid: randomSid(), hostname, timestamp: NOW - 1200, data: drupalSessionData({ uid: UID.member, created: NOW - 2000, updated: NOW - 1200 }),
  });
  return { ...dataset.site, sessions: [...dataset.site.sessions, session('1.128.0.0'), session('12.81.92.0')] };
};

describe.each(ENGINES)('network anomalies on %s', (engine) => {
  const tempDir = tempDirs();
  const fixture = inspectorFixture(engine, seed, () => tempDir('si-asn-'));

  it.skipIf(fixture.skip !== null)('reports an account on several networks at once, with the operator\'s ASN database', async () => {
    const inspector = new Inspector(fixture.site, { asOf: NOW, auditLog: AuditLog.in(tempDir('si-asn-')), locate: openLocator([asn]) });
    const support = await inspector.signIn('support', PASSWORDS.support);
    const report = await inspector.anomalies(support);
    expect(report.anomalies.filter((a) => a.kind === 'multi-network')).toEqual([
      expect.objectContaining({ uids: [UID.member], count: 2, detail: `uid ${UID.member} has live sessions from 2 networks at once (AS1221 Telstra Pty Ltd, AS7018 AT&T Services).` }),
    ]);
    // Without the ASN database there is no network to compare.
    const plain = await fixture.inspector.anomalies(await fixture.inspector.signIn('support', PASSWORDS.support));
    expect(plain.anomalies.filter((a) => a.kind === 'multi-network')).toEqual([]);
  });
});
