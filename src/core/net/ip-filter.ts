/**
 * "Who is on 203.0.113.5?", "everyone from 2001:db8::/32": an IP filter for session
 * rows, given as an address or a CIDR range, IPv4 or IPv6. Drupal stores the client
 * address as text in `sessions.hostname`; an IPv4 client seen through an IPv6 socket
 * appears as `::ffff:203.0.113.5`, and is matched as the IPv4 address it is.
 *
 * The `sessions` table has no index on `hostname`, so an IP filter scans; `sqlEquals`
 * lets the database do an exact IPv4 match itself, and everything else is decided by
 * `matches` (node's BlockList, which understands IPv4-mapped addresses).
 */
import { BlockList, isIP } from 'node:net';
import { AppFailure } from '../../shared/errors.js';
import { MAPPED_V4 } from './geo.js';

export interface IpFilter {
  /** As the operator wrote it, for messages. */
  readonly text: string;
  /** The hostnames an exact IPv4 filter matches (the address and its mapped form), else null. */
  readonly sqlEquals: string[] | null;
  matches(hostname: string): boolean;
}


function usage(text: string, why: string): AppFailure {
  return new AppFailure('USAGE', `"${text}" is not an IP address or range: ${why}. Write e.g. 203.0.113.5, 203.0.113.0/24 or 2001:db8::/32.`);
}

/** Parses `text` (an address, or address/prefix); throws USAGE with what is wrong. */
export function parseIpFilter(input: string): IpFilter {
  const text = input.trim();
  const [rawAddress = '', rawPrefix, extra] = text.split('/');
  if (extra !== undefined) throw usage(text, 'more than one "/"');
  // An IPv4 range written in IPv6's mapped form is the IPv4 range it denotes.
  const mapped = MAPPED_V4.exec(rawAddress);
  const address = mapped ? mapped[1]! : rawAddress;
  const version = isIP(address);
  if (version === 0) throw usage(text, `${rawAddress || 'nothing'} is not an address`);
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (rawPrefix !== undefined) {
    if (!/^\d{1,3}$/.test(rawPrefix)) throw usage(text, 'the prefix length after "/" must be a number');
    prefix = Number(rawPrefix) - (mapped ? 96 : 0);
    if (prefix < 0 || prefix > bits) throw usage(text, `the prefix length must be between 0 and ${mapped ? 128 : bits}`);
  }
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return {
    text,
    sqlEquals: version === 4 && prefix === 32 ? [address, `::ffff:${address}`] : null,
    matches(hostname: string): boolean {
      const host = hostname.trim();
      const v = isIP(host);
      return v !== 0 && list.check(host, v === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
