/**
 * IPv4 addresses and ranges as firewall rules write them. Only IPv4: a Cloud SQL private IP is
 * IPv4, so an IPv6 range is valid but never covers it. Everything here reads untrusted text and
 * answers undefined or false instead of throwing.
 */

/** An IPv4 range: its first address as an unsigned 32-bit number and its prefix length. */
export interface Ipv4Range {
  base: number;
  prefix: number;
}

const OCTET = /^(?:0|[1-9]\d{0,2})$/;
const PREFIX = /^(?:\d|[12]\d|3[0-2])$/;
// Loose on purpose: it only tells an IPv6 range (valid, covers no IPv4 address) from garbage.
const IPV6_RANGE = /^[0-9a-f:.]*:[0-9a-f:.]*(?:\/(?:\d{1,2}|1[01]\d|12[0-8]))?$/i;

/** `a.b.c.d` as an unsigned 32-bit number; undefined unless four decimal octets of 0–255. */
export function parseIpv4(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** The address back in dotted form. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0);

/**
 * `a.b.c.d/n`, or a bare address as a /32, with host bits cleared (Google rejects them, but a
 * tolerant reading costs nothing). Undefined for IPv6 and garbage alike.
 */
export function parseIpv4Range(text: unknown): Ipv4Range | undefined {
  if (typeof text !== 'string') return undefined;
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  if (prefixText !== undefined && !PREFIX.test(prefixText)) return undefined;
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}

/** Whether `text` is a range Google could have written: IPv4 or IPv6. */
export const isRangeText = (text: unknown): boolean =>
  typeof text === 'string' && (parseIpv4Range(text) !== undefined || IPV6_RANGE.test(text));

/** Whether `range` holds the address `ip`. */
export const rangeHolds = (range: Ipv4Range, ip: number): boolean =>
  (ip & maskOf(range.prefix)) >>> 0 === range.base;

/** Whether every address of `inner` is in `outer` (a wider or equal range). */
export const rangeCovers = (outer: Ipv4Range, inner: Ipv4Range): boolean =>
  outer.prefix <= inner.prefix && rangeHolds(outer, inner.base);
