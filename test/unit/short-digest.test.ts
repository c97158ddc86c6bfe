import { shortDigest } from '../../src/short-digest';

describe('shortDigest', () => {
  // Job ids, dedupe keys and cookie names already stored were made with these digits: they must not change.
  it.each([
    ['abc', 10, 'ba7816bf8f'],
    ['abc', 16, 'ba7816bf8f01cfea'],
    ['abc', 32, 'ba7816bf8f01cfea414140de5dae2223'],
    ['', 12, 'e3b0c44298fc'],
    ['é', 16, '4a99557e4033c353'],
  ])('gives the first hex digits of SHA-256(%j, UTF-8): %i → %s', (text, length, digits) => {
    expect(shortDigest(text, length)).toBe(digits);
  });
});
