/**
 * Where a client address is: what kind of address it is (private, loopback, …: those
 * say so instead of a country) and, for a public one, its country, from a freely
 * licensed country database shipped with the app (ip-location-db's geo-whois-asn-country,
 * CC0, read with mmdb-lib). Loaded once, on first use, and only when asked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { Reader, type AsnResponse, type CityResponse, type CountryResponse } from 'mmdb-lib';
import type { AddressKind, Location } from '../../shared/domain.js';
import { AppFailure } from '../../shared/errors.js';
import { memoized } from '../memo.js';

/** An IPv4 address seen through an IPv6 socket: ::ffff:203.0.113.5. */
export const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Special-purpose ranges (RFC 6890 and friends), by what they mean to an operator. */
const RANGES: Array<[Exclude<AddressKind, 'public'>, Array<[string, number, 'ipv4' | 'ipv6']>]> = [
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['private', [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['fc00::', 7, 'ipv6']]],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  ['documentation', [['192.0.2.0', 24, 'ipv4'], ['198.51.100.0', 24, 'ipv4'], ['203.0.113.0', 24, 'ipv4'], ['2001:db8::', 32, 'ipv6'], ['3fff::', 20, 'ipv6']]],
  ['reserved', [
    ['0.0.0.0', 8, 'ipv4'], ['192.0.0.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
    ['::', 128, 'ipv6'], ['ff00::', 8, 'ipv6'], ['100::', 64, 'ipv6'],
  ]],
];
const LISTS = RANGES.map(([kind, subnets]) => {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  return [kind, list] as const;
});

/** The address as the databases know it: IPv4-mapped IPv6 as IPv4. Null: not an address. */
export function normalizeAddress(hostname: string): { ip: string; family: 'ipv4' | 'ipv6' } | null {
  const text = hostname.trim();
  const mapped = MAPPED_V4.exec(text);
  const ip = mapped ? mapped[1]! : text;
  const version = isIP(ip);
  return version === 0 ? null : { ip, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function addressKind(hostname: string): AddressKind | null {
  const address = normalizeAddress(hostname);
  if (!address) return null;
  for (const [kind, list] of LISTS) if (list.check(address.ip, address.family)) return kind;
  return 'public';
}

export type Locate = (hostname: string) => Location;

/** No database: the kind of address only. */
export const kindOnly: Locate = (hostname) => ({ country: null, addressKind: addressKind(hostname) });

/** ip-location-db's country records: a bare ISO code, not MaxMind's nested country object. */
type CountryRecord = CountryResponse & { country_code?: string };

let bundled: Reader<CountryRecord> | null | undefined;

/** The shipped country database, read once; null (with kinds only) if it cannot be read. */
function bundledCountries(): Reader<CountryRecord> | null {
  if (bundled === undefined) {
    try {
      const file = createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
      bundled = new Reader<CountryRecord>(readFileSync(file));
    } catch {
      bundled = null;
    }
  }
  return bundled;
}

const countryOf = memoized((hostname: string): Location => {
  const kind = addressKind(hostname);
  if (kind !== 'public') return { country: null, addressKind: kind };
  const code = bundledCountries()?.get(normalizeAddress(hostname)!.ip)?.country_code;
  return { country: typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null, addressKind: kind };
});

/** Locates with the shipped country database (loaded at the first public address). */
export const locateCountry: Locate = (hostname) => ({ ...countryOf(hostname) });

/**
 * Locates with the shipped countries, plus the operator's own MaxMind databases (GeoIP2
 * or GeoLite2 City/Country for the city, ASN for the network), as many as given.
 */
export function openLocator(files: string[] = []): Locate {
  const readers = files.map((file) => {
    let reader: Reader<CityResponse & AsnResponse>;
    try {
      reader = new Reader<CityResponse & AsnResponse>(readFileSync(file));
    } catch (error) {
      throw new AppFailure('USAGE', `${file} is not a MaxMind database (.mmdb) that can be read: ${(error as Error).message}.`);
    }
    const type = reader.metadata.databaseType;
    if (!/City|Country|ASN/i.test(type)) {
      throw new AppFailure('USAGE', `${file} is a "${type}" database; give a MaxMind City, Country or ASN database.`);
    }
    return reader;
  });
  if (readers.length === 0) return locateCountry;
  return (hostname) => {
    const location: Location = locateCountry(hostname);
    if (location.addressKind !== 'public') return location;
    const ip = normalizeAddress(hostname)!.ip;
    for (const reader of readers) {
      const record = reader.get(ip);
      if (!record) continue;
      const iso = record.country?.iso_code;
      if (typeof iso === 'string' && /^[A-Z]{2}$/.test(iso)) location.country = iso;
      const city = record.city?.names?.en;
      if (typeof city === 'string' && city !== '') location.city = city;
      if (typeof record.autonomous_system_number === 'number') {
        location.network = `AS${record.autonomous_system_number}${record.autonomous_system_organization ? ` ${record.autonomous_system_organization}` : ''}`;
      }
    }
    return location;
  };
}
