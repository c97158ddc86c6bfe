import fc from 'fast-check';
import {
  formatIpv4,
  isRangeText,
  parseIpv4,
  parseIpv4Range,
  rangeCovers,
  rangeHolds,
} from '../../../src/diag/checks/cidr';

const address = fc.integer({ min: 0, max: 0xffff_ffff });
const prefix = fc.integer({ min: 0, max: 32 });
/** Containment by arithmetic alone: same quotient by the block size. */
const sameBlock = (a: number, b: number, p: number) =>
  Math.floor(a / 2 ** (32 - p)) === Math.floor(b / 2 ** (32 - p));

describe('IPv4 ranges', () => {
  it('formats and parses every address back to itself', () => {
    fc.assert(fc.property(address, (ip) => parseIpv4(formatIpv4(ip)) === ip));
  });

  it('holds an address exactly when it shares the range’s block', () => {
    fc.assert(
      fc.property(address, prefix, address, (base, p, ip) => {
        const range = parseIpv4Range(`${formatIpv4(base)}/${p}`);
        return range !== undefined && rangeHolds(range, ip) === sameBlock(base, ip, p);
      }),
    );
  });

  it('holds every address in 0.0.0.0/0 and each address in its own /32 only', () => {
    fc.assert(
      fc.property(address, address, (ip, other) => {
        const all = parseIpv4Range('0.0.0.0/0');
        const own = parseIpv4Range(formatIpv4(ip));
        return (
          all !== undefined &&
          own !== undefined &&
          rangeHolds(all, ip) &&
          rangeHolds(own, ip) &&
          rangeHolds(own, other) === (ip === other)
        );
      }),
    );
  });

  it('covers a range when it holds all of it: a range covers its subranges, never a wider one', () => {
    fc.assert(
      fc.property(address, prefix, prefix, (ip, a, b) => {
        const [wide, narrow] = [Math.min(a, b), Math.max(a, b)];
        const outer = parseIpv4Range(`${formatIpv4(ip)}/${wide}`);
        const inner = parseIpv4Range(`${formatIpv4(ip)}/${narrow}`);
        if (!outer || !inner) return false;
        return rangeCovers(outer, inner) && rangeCovers(inner, outer) === (wide === narrow);
      }),
    );
  });

  it('agrees with holding for the first and last address of the covered range', () => {
    fc.assert(
      fc.property(address, prefix, address, prefix, (a, p, b, q) => {
        const outer = parseIpv4Range(`${formatIpv4(a)}/${p}`);
        const inner = parseIpv4Range(`${formatIpv4(b)}/${q}`);
        if (!outer || !inner) return false;
        const last = inner.base + 2 ** (32 - inner.prefix) - 1;
        const both = rangeHolds(outer, inner.base) && rangeHolds(outer, last);
        return rangeCovers(outer, inner) === both;
      }),
    );
  });

  it('reads the serverless range 35.199.224.0/19 inside 0.0.0.0/0 and not inside a /20', () => {
    const serverless = parseIpv4Range('35.199.224.0/19');
    const all = parseIpv4Range('0.0.0.0/0');
    const narrow = parseIpv4Range('35.199.224.0/20');
    if (!serverless || !all || !narrow) throw new Error('unparsed');
    expect(rangeCovers(all, serverless)).toBe(true);
    expect(rangeCovers(narrow, serverless)).toBe(false);
    expect(rangeHolds(serverless, parseIpv4('35.199.255.255') ?? 0)).toBe(true);
    expect(rangeHolds(serverless, parseIpv4('35.200.0.0') ?? 0)).toBe(false);
  });

  it('never throws on any input, and reads nothing from garbage', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const range = parseIpv4Range(value);
        return range === undefined || (range.prefix >= 0 && range.prefix <= 32 && range.base <= 0xffff_ffff);
      }),
    );
    for (const garbage of [
      '10.0.0.0/33',
      '10.0.0/8',
      '256.0.0.1',
      '1.2.3.4/',
      '1.2.3.4/8/9',
      ' 1.2.3.4',
      '01.2.3.4',
      '',
      'x',
    ])
      expect(parseIpv4Range(garbage)).toBeUndefined();
  });

  it('tells IPv6 ranges (valid, holding no IPv4 address) from garbage', () => {
    expect(isRangeText('2600:1900::/28')).toBe(true);
    expect(isRangeText('::/0')).toBe(true);
    expect(isRangeText('10.20.0.0/16')).toBe(true);
    expect(parseIpv4Range('2600:1900::/28')).toBeUndefined();
    for (const garbage of ['10.20.0.0/40', 'not-a-range', '10.20.0.0 /16', 42])
      expect(isRangeText(garbage)).toBe(false);
  });
});
