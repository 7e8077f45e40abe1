import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Addresses a webhook may never reach unless IT allows them (WEBHOOKS_ALLOWED_NETWORKS). */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast and reserved above
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // ULA
  ['fe80::', 10], // link-local
  ['ff00::', 8],
  ['64:ff9b::', 96], // NAT64 of any v4
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** `10.1.0.0/16,127.0.0.1/32` → a BlockList of what IT allows. */
export function allowList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(net, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  return list;
}

/** Whether a webhook may connect to this address (a v4-mapped v6 address is judged as its v4). */
export function isForbiddenAddress(address: string, allowed?: BlockList): boolean {
  let ip = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) ip = mapped[1];
  else if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(ip)) {
    const [hi, lo] = ip
      .slice(7)
      .split(':')
      .map((h) => parseInt(h, 16));
    ip = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const family = isIP(ip);
  if (!family) return true;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (allowed?.check(ip, type)) return false;
  return PRIVATE.check(ip, type);
}

export class ForbiddenAddressError extends Error {
  constructor(readonly address: string) {
    super(`${address} is a loopback, private or reserved address`);
  }
}

/**
 * A `lookup` for https.request that refuses forbidden addresses: the socket connects to the very
 * address checked here, so a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot slip through.
 */
export function checkedLookup(allowed?: BlockList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => isForbiddenAddress(a.address, allowed));
      if (bad || !list.length)
        return callback(new ForbiddenAddressError(bad?.address ?? hostname), '', 0);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Resolves the URL's host and throws ForbiddenAddressError on a forbidden address (at creation). */
export async function assertReachable(url: URL, allowed?: BlockList): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (isForbiddenAddress(host, allowed)) throw new ForbiddenAddressError(host);
    return;
  }
  await new Promise<void>((resolve, reject) =>
    checkedLookup(allowed)(host, { all: true }, (error) => (error ? reject(error) : resolve())),
  );
}
