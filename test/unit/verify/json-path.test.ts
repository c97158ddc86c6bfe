import { valueAtPath } from '../../../src/verify/json-path';

describe('valueAtPath', () => {
  const body = {
    access_token: 'tok',
    data: { session: { token: 's-1', ttl: 3600, fresh: true, none: null }, items: [{ id: 7 }, { id: 'b' }] },
  };

  it.each<[string, string | undefined]>([
    ['access_token', 'tok'],
    ['data.session.token', 's-1'],
    ['data.session.ttl', '3600'],
    ['data.session.fresh', 'true'],
    ['data.items.0.id', '7'],
    ['data.items.1.id', 'b'],
    ['data.session', undefined],
    ['data.items', undefined],
    ['data.session.none', undefined],
    ['data.items.2.id', undefined],
    ['data.items.first', undefined],
    ['missing', undefined],
    ['access_token.length', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
  ])('reads %s as %s', (path, value) => {
    expect(valueAtPath(body, path)).toBe(value);
  });

  it('reads into a top-level list', () => {
    expect(valueAtPath([{ id: 'x' }], '0.id')).toBe('x');
    expect(valueAtPath('text', 'a')).toBeUndefined();
  });
});
