import { parseConfig } from '../../../src/config/load-config';
import { stagingYaml } from '../../support/staging-yaml';

/** A one-environment file whose database section is `database`. */
const withDatabase = (database: unknown): string => stagingYaml({ database });

describe('environments.<name>.database.poolSize', () => {
  it('is read as the connections one instance may hold', () => {
    const result = parseConfig(withDatabase({ urlEnv: 'STAGING_DATABASE_URL', poolSize: 20 }), 'warroom.yml');
    expect(result.ok && result.config.environments.staging?.database).toEqual({
      urlEnv: 'STAGING_DATABASE_URL',
      poolSize: 20,
    });
  });

  it('is optional: the connection budget then assumes 10', () => {
    const result = parseConfig(withDatabase({ urlEnv: 'STAGING_DATABASE_URL' }), 'warroom.yml');
    expect(result.ok && result.config.environments.staging?.database).toEqual({
      urlEnv: 'STAGING_DATABASE_URL',
    });
  });

  it('can be set without a connect probe, for the connection budget alone', () => {
    const result = parseConfig(withDatabase({ poolSize: 25 }), 'warroom.yml');
    expect(result.ok && result.config.environments.staging?.database).toEqual({ poolSize: 25 });
  });

  it.each([0, 2.5, 5000, 'ten'])(
    'rejects %p, saying what a pool size is and how to write one',
    (poolSize) => {
      const result = parseConfig(withDatabase({ urlEnv: 'STAGING_DATABASE_URL', poolSize }), 'warroom.yml');
      if (result.ok) throw new Error('expected a problem');
      expect(result.problems).toEqual([
        expect.objectContaining({
          path: 'environments.staging.database.poolSize',
          message: expect.stringContaining(`"${poolSize}" is not a pool size.`),
          fix: expect.stringContaining('a whole number from 1 to 1000, e.g. poolSize: 10'),
        }),
      ]);
    },
  );
});
