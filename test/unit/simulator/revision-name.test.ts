import { nextRevisionName, revisionNumber } from '../../../src/simulator/revision-name';

describe('revision names', () => {
  it.each([
    ['backend', 'backend-00042-kav', 42],
    ['backend', 'backend-00001-abc', 1],
    ['auth', 'auth-00017-qep', 17],
    ['backend', 'auth-00017-qep', undefined],
    ['backend', 'backend-v2', undefined],
    ['backend', 'backend-canary-00003-abc', undefined],
  ])('reads the number of %s revision %s as %s', (service, revision, number) => {
    expect(revisionNumber(service, revision)).toBe(number);
  });

  it('numbers the next revision one past the highest, with three lowercase letters', () => {
    const name = nextRevisionName('backend', ['backend-00041-wuz', 'backend-00042-kav']);
    expect(name).toMatch(/^backend-00043-[a-z]{3}$/);
  });

  it('ignores names that are not the service numbered revisions', () => {
    expect(nextRevisionName('ai', ['ai-00008-mob', 'ai-manual', 'backend-00099-xyz'], () => 0)).toBe(
      'ai-00009-aaa',
    );
  });

  it('starts at 00001 for a service without revisions', () => {
    expect(nextRevisionName('auth', [], () => 0.999999)).toBe('auth-00001-zzz');
  });

  it('draws the letters from the random source it is given', () => {
    const draws = [0, 0.5, 0.99];
    expect(nextRevisionName('backend', ['backend-00042-kav'], () => draws.shift() ?? 0)).toBe(
      'backend-00043-anz',
    );
  });
});
