import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIpFilter } from '../../src/core/net/ip-filter.js';
import { fileURLToPath } from 'node:url';
import { locateCountry, openLocator } from '../../src/core/net/geo.js';

describe('IP filters', () => {
  it('match an IPv4 address, its IPv6-mapped form, and nothing else', () => {
    const f = parseIpFilter(' 203.0.113.5 ');
    expect(f.sqlEquals).toEqual(['203.0.113.5', '::ffff:203.0.113.5']);
    expect(['203.0.113.5', '::ffff:203.0.113.5', '::FFFF:203.0.113.5'].every((h) => f.matches(h))).toBe(true);
    expect(['203.0.113.50', '203.0.113.4', '', 'localhost', '2001:db8::5'].some((h) => f.matches(h))).toBe(false);
  });

  it('match CIDR ranges of both families, mapped ranges as IPv4', () => {
    const v4 = parseIpFilter('10.20.0.0/14');
    expect(v4.sqlEquals).toBeNull();
    expect(v4.matches('10.23.255.255')).toBe(true);
    expect(v4.matches('10.24.0.0')).toBe(false);
    expect(v4.matches('::ffff:10.21.1.1')).toBe(true);
    const v6 = parseIpFilter('2001:db8:abcd::/48');
    expect(v6.matches('2001:db8:abcd:12::1')).toBe(true);
    expect(v6.matches('2001:0DB8:ABCD:0000::9')).toBe(true);
    expect(v6.matches('2001:db8:abce::1')).toBe(false);
    expect(v6.matches('10.0.0.1')).toBe(false);
    expect(parseIpFilter('::ffff:192.0.2.0/120').matches('192.0.2.77')).toBe(true);
    expect(parseIpFilter('0.0.0.0/0').matches('198.51.100.1')).toBe(true);
    // A single IPv6 address, written as a /128 or not, in any of its spellings.
    const one = parseIpFilter('2001:db8::7/128');
    expect(one.sqlEquals).toBeNull();
    expect(['2001:db8::7', '2001:DB8:0:0:0:0:0:7', '2001:0db8::0007'].every((h) => one.matches(h))).toBe(true);
    expect(one.matches('2001:db8::8')).toBe(false);
    expect(parseIpFilter('::/0').matches('2001:db8::1')).toBe(true);
    // ::/0 holds ::ffff:0:0/96, where IPv4 lives: every address.
    expect(parseIpFilter('::/0').matches('10.0.0.1')).toBe(true);
  });

  it('refuse what is not an address or range, saying what is wrong', () => {
    for (const [text, why] of [
      ['203.0.113', /is not an address/],
      ['203.0.113.0/33', /between 0 and 32/],
      ['2001:db8::/129', /between 0 and 128/],
      ['10.0.0.0/8/8', /more than one/],
      ['10.0.0.0/x', /must be a number/],
      ['', /nothing is not an address/],
    ] as const) {
      expect(() => parseIpFilter(text)).toThrow(why);
    }
  });

  it('agree with a plain prefix comparison on any IPv4 address and range', () => {
    const toInt = (ip: number[]) => ip.reduce((n, b) => n * 256 + b, 0);
    const octets = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(octets, octets, fc.integer({ min: 0, max: 32 }), (net, host, prefix) => {
        const filter = parseIpFilter(`${net.join('.')}/${prefix}`);
        const size = 2 ** (32 - prefix);
        const expected = Math.floor(toInt(host) / size) === Math.floor(toInt(net) / size);
        return filter.matches(host.join('.')) === expected;
      }),
      { numRuns: 500 },
    );
  });
});

describe('address kinds and countries', () => {
  it('names special ranges instead of a country, and finds the country of public addresses', () => {
    const cases: Array<[string, string | null, string | null]> = [
      ['127.0.0.1', 'loopback', null], ['::1', 'loopback', null], ['10.1.2.3', 'private', null], ['172.20.0.1', 'private', null],
      ['192.168.1.1', 'private', null], ['fd00::1', 'private', null], ['169.254.1.1', 'link-local', null], ['fe80::1', 'link-local', null],
      ['192.0.2.7', 'documentation', null], ['2001:db8::5', 'documentation', null], ['224.0.0.1', 'reserved', null], ['0.0.0.0', 'reserved', null],
      ['8.8.8.8', 'public', 'US'], ['::ffff:8.8.8.8', 'public', 'US'], ['2001:4860:4860::8888', 'public', 'US'], ['81.2.69.160', 'public', 'GB'],
      ['not an address', null, null], ['', null, null],
    ];
    for (const [host, kind, country] of cases) {
      expect(locateCountry(host), host).toEqual({ addressKind: kind, country });
    }
  });
});

describe('the operator\'s own MaxMind databases', () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/maxmind/${name}`, import.meta.url));

  it('add the city and the network beside the shipped countries', () => {
    const locate = openLocator([fixture('GeoLite2-City-Test.mmdb'), fixture('GeoLite2-ASN-Test.mmdb')]);
    expect(locate('81.2.69.142')).toEqual({ addressKind: 'public', country: 'GB', city: 'London' });
    expect(locate('::ffff:81.2.69.142')).toEqual({ addressKind: 'public', country: 'GB', city: 'London' });
    expect(locate('1.128.0.0')).toMatchObject({ addressKind: 'public', network: 'AS1221 Telstra Pty Ltd' });
    expect(locate('10.0.0.1')).toEqual({ addressKind: 'private', country: null });
  });

  it('refuse a file that is not one, saying so', () => {
    expect(() => openLocator([fixture('LICENSE-MIT')])).toThrow(/is not a MaxMind database \(\.mmdb\) that can be read/);
    expect(() => openLocator([fixture('no-such.mmdb')])).toThrow(/is not a MaxMind database/);
  });
});
