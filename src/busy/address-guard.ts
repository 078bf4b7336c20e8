/**
 * Which network addresses a person's calendar address may lead to. crosstrain fetches addresses
 * people type, so without this anyone could make the server read its own loopback services, the
 * office network or the cloud metadata service (169.254.169.254). The check runs on the address
 * the connection actually goes to (a `lookup` for http.request), so a name that resolves to a
 * private address — at first or after a redirect, or by DNS rebinding — is refused too.
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32],
  ['100::', 64], // discard
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped, -compatible or NAT64 IPv6 address, if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:(?:0{1,4}:)?|::|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:(?:0{1,4}:)?|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** True when crosstrain must not connect to this IP address (loopback, private, link-local, …). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // 6to4 (2002:AABB:CCDD::/48) tunnels to the IPv4 address AA.BB.CC.DD.
    const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(:|$)/i.exec(address);
    if (sixToFour) {
      const high = parseInt(sixToFour[1]!, 16);
      const low = parseInt(sixToFour[2]!, 16);
      if (blocked.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4')) return true;
    }
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return isIP(v4) !== 4 || blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Exceptions to the guard: true allows every address (ALLOW_PRIVATE_CALENDAR_HOSTS, tests and
 * closed networks only); a list allows exactly those IP addresses (a test's loopback server).
 */
export type PrivateAllowance = boolean | readonly string[];
const allowed = (allowance: PrivateAllowance | undefined, address: string) => allowance === true || (Array.isArray(allowance) && allowance.includes(address));

/**
 * A `lookup` for http.request/net.connect that resolves the name and refuses the connection when
 * any of its addresses is forbidden and not allowed by `allowance`.
 */
export function guardedLookup(allowance?: PrivateAllowance) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback) => {
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    dnsLookup(hostname, { family: opts.family ?? 0, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => isForbiddenAddress(a.address) && !allowed(allowance, a.address));
      if (refused) return callback(new ForbiddenAddressError(`${hostname} resolves to ${refused.address}, a private or reserved address.`), []);
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      if (opts.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** The host of a URL without IPv6 brackets. */
export const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** A host written as an IP literal (or localhost) that is forbidden; other names are checked when they are resolved. */
export function forbiddenLiteralHost(url: URL, allowance?: PrivateAllowance): boolean {
  if (allowance === true) return false;
  const host = bareHost(url);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isForbiddenAddress(host) && !allowed(allowance, host);
}
