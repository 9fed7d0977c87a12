/**
 * Which IP addresses an outbound request may not reach unless the trusted configuration names the host explicitly:
 * the classic SSRF targets (cloud metadata at 169.254.169.254, services on loopback or the private network) and the
 * ranges nothing public lives in. An IPv6 address that carries an IPv4 address — IPv4-mapped `::ffff:a.b.c.d` (also
 * written `::ffff:7f00:1`), IPv4-compatible `::a.b.c.d`, SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4
 * `2002:AABB:CCDD::` — is judged by the IPv4 address inside: a dual-stack socket, a NAT64 gateway or a relay
 * delivers it there.
 *
 * Decimal, octal and hex IPv4 forms (`2130706433`, `0x7f.1`, `0177.0.0.1`) never arrive here as such: the WHATWG URL
 * parser rewrites them to dotted quads, and a host name is judged by the addresses the resolver returns. Anything
 * that is not a canonical IP address is refused.
 */
import { BlockList, isIP } from 'node:net';

const ranges: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['64:ff9b:1::', 48, 'ipv6', 'NAT64 local-use'],
  ['100::', 64, 'ipv6', 'reserved'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const lists = ranges.map(([network, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, label };
});

/** The kind of restricted address (`'loopback'`, `'private'`, ...), or undefined for a public one. */
export function restrictedKind(address: string): string | undefined {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(plain) === 4 ? 'ipv4' : isIP(plain) === 6 ? 'ipv6' : undefined;
  if (!family) return 'not an IP address';
  const listed = lists.find((entry) => entry.family === family && entry.list.check(plain, family))?.label;
  if (listed || family === 'ipv4') return listed;
  const inner = embeddedIpv4(ipv6Groups(plain));
  return inner === undefined ? undefined : restrictedKind(inner);
}

/** The IPv4 address an IPv6 address carries by one of the standard embeddings, if it does. */
function embeddedIpv4(g: number[]): string | undefined {
  const zero = (from: number, to: number): boolean => g.slice(from, to).every((group) => group === 0);
  const quad = (high: number, low: number): string => [high >> 8, high & 255, low >> 8, low & 255].join('.');
  if (zero(0, 5) && g[5] === 0xffff) return quad(g[6]!, g[7]!); // IPv4-mapped
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return quad(g[6]!, g[7]!); // SIIT (RFC 6145)
  if (zero(0, 6)) return quad(g[6]!, g[7]!); // IPv4-compatible (deprecated); :: and ::1 are listed above
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return quad(g[6]!, g[7]!); // NAT64 well-known prefix (RFC 6052)
  if (g[0] === 0x2002) return quad(g[1]!, g[2]!); // 6to4 (RFC 3056)
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad folded into the last two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? `${address.slice(0, dotted.index)}${((+dotted[1]! << 8) | +dotted[2]!).toString(16)}:${((+dotted[3]! << 8) | +dotted[4]!).toString(16)}`
    : address;
  const groups = (part: string | undefined): number[] => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const [head, tail] = text.split('::');
  if (tail === undefined) return groups(head);
  const before = groups(head);
  const after = groups(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}
