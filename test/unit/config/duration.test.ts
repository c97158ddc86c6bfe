import { formatDuration, parseDuration } from '../../../src/config/duration';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['1d2h3m4s5ms', 93_784_005],
    ['0s', 0],
    [' 15m ', 900_000],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty text'],
    ['   ', 'blank text'],
    ['15', 'a bare number'],
    ['-5m', 'a negative duration'],
    ['abc', 'words'],
    ['1x', 'an unknown unit'],
    ['1.5h', 'a fraction'],
    ['30m1h', 'units out of order'],
    ['1h1h', 'a repeated unit'],
    ['1 h', 'a space between number and unit'],
    ['15M', 'an upper-case unit'],
    ['99999999999999999d', 'more than a safe integer of milliseconds'],
  ])('rejects %p (%s)', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [999.6, '1s'],
    [45_000, '45s'],
    [45_400, '45s'],
    [45_600, '46s'],
    [90_000, '1m 30s'],
    [5_400_000, '1h 30m'],
    [7_200_000, '2h'],
    [93_784_000, '1d 2h 3m 4s'],
    [-300_000, '-5m'],
  ])('writes %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for whole seconds', () => {
    for (const ms of [1_000, 61_000, 3_601_000, 90_061_000]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses a value that is not a finite number', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});
