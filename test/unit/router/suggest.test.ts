import { editDistance, suggest } from '../../../src/router/suggest';

describe('suggest', () => {
  const names = ['help', 'diag', 'open', 'close', 'restart'];
  it.each([
    ['hepl', 'help'],
    ['daig', 'diag'],
    ['restrat', 'restart'],
    ['clos', 'close'],
  ])('suggests the close name for a typo (%s → %s)', (given, expected) => {
    expect(suggest(given, names)).toBe(expected);
  });

  it('suggests nothing when no name is within two edits', () => {
    expect(suggest('deploy', names)).toBeUndefined();
    expect(suggest('x'.repeat(500), names)).toBeUndefined();
  });

  it('computes Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
