// Which IP addresses an outbound request to a merchant- or provider-supplied URL may
// reach: only public unicast ones. Loopback is a separate answer, as development (and an
// operator who says so) may allow it. Pure: no DNS, no sockets.
import { isIP } from 'node:net';

/** Why an address is not public, or null when it is. */
export type AddressClass = 'public' | 'loopback' | 'blocked';

type Range4 = [base: number, bits: number, what: string];
type Range6 = [base: bigint, bits: number, what: string];

const V4: Range4[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'CGNAT'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

const V6: Range6[] = [
  [0n, 128, 'unspecified'],
  [1n, 128, 'loopback'],
  [v6('100::'), 64, 'reserved'],
  [v6('2001::'), 23, 'reserved'],
  [v6('2001:db8::'), 32, 'reserved'],
  [v6('fc00::'), 7, 'private'],
  [v6('fe80::'), 10, 'link-local'],
  [v6('fec0::'), 10, 'reserved'],
  [v6('ff00::'), 8, 'multicast'],
];

/** IPv6 ranges that carry an IPv4 address: the embedded address decides. */
const EMBEDS_V4: Array<[base: bigint, bits: number, shift: bigint]> = [
  [v6('::ffff:0:0'), 96, 0n], // IPv4-mapped
  [0n, 96, 0n], // IPv4-compatible (deprecated), ::a.b.c.d
  [v6('64:ff9b::'), 96, 0n], // NAT64
  [v6('2002::'), 16, 80n], // 6to4
];

function v4(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v6(text: string): bigint {
  const [start, tail = ''] = text.includes('::') ? text.split('::') : [text, undefined];
  let head = start ?? '';
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  let last: string[] = groups(tail);
  // A dotted IPv4 in the last two groups (::ffff:1.2.3.4).
  const dotted = last.at(-1) ?? (text.includes('::') ? undefined : groups(head).at(-1));
  if (dotted?.includes('.')) {
    const n = v4(dotted);
    const pair = [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
    if (text.includes('::')) last = [...last.slice(0, -1), ...pair];
    else head = [...groups(head).slice(0, -1), ...pair].join(':');
  }
  const first = groups(head);
  const zeros = text.includes('::') ? 8 - first.length - last.length : 0;
  const all = [...first, ...Array<string>(zeros).fill('0'), ...last];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function inV4(n: number, [base, bits]: Range4): boolean {
  return bits === 0 || n >>> (32 - bits) === base >>> (32 - bits);
}

function inV6(n: bigint, base: bigint, bits: number): boolean {
  const shift = BigInt(128 - bits);
  return n >> shift === base >> shift;
}

function classify4(n: number): AddressClass {
  const hit = V4.find((r) => inV4(n, r));
  return !hit ? 'public' : hit[2] === 'loopback' ? 'loopback' : 'blocked';
}

/** An address as it appears in a URL host or a DNS answer (brackets and zone allowed). */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return classify4(v4(ip));
  if (family !== 6) return 'blocked';
  const n = v6(ip);
  const hit = V6.find(([base, bits]) => inV6(n, base, bits));
  if (hit) return hit[2] === 'loopback' ? 'loopback' : 'blocked';
  for (const [base, bits, shift] of EMBEDS_V4) {
    if (inV6(n, base, bits)) return classify4(Number((n >> shift) & 0xffffffffn));
  }
  return 'public';
}

/** An IP literal (with or without brackets): what a URL parser leaves of 0x7f000001, 2130706433, 0177.1… */
export function isIpLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '').replace(/%.*$/, '')) !== 0;
}
