import { configSecretValues } from '../../../src/config/config-secrets';
import { parseConfig } from '../../../src/config/load-config';

const config = (() => {
  const parsed = parseConfig(
    `environments:
  staging:
    project: acme-staging
    region: us-central1
    sqlInstance: staging-db
    services: [backend]
    database: { urlEnv: STAGING_DATABASE_URL }
    verify:
      steps:
        - name: login
          method: POST
          url: https://staging.example.com/login
          body: '{"user":"probe","password":"\${env:VERIFY_PASSWORD}"}'
          capture: { token: access_token }
        - name: ask
          url: https://staging.example.com/ask
          headers: { authorization: "Bearer \${token}", x-api-key: "\${env:STAGING_API_KEY}" }
contacts:
  infra-oncall: { tier: primary, pagerduty: { routingKeyEnv: INFRA_PD_ROUTING_KEY } }
`,
    'test.yml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
})();

describe('configSecretValues', () => {
  it('is the value of every variable the config names for a secret (PagerDuty routing keys too), and a database URL’s password', () => {
    const values = configSecretValues(config, {
      STAGING_DATABASE_URL: 'postgres://probe:p%40ss@10.20.0.3:5432/app',
      VERIFY_PASSWORD: 'hunter2-verify',
      STAGING_API_KEY: 'key-0123456789',
      INFRA_PD_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6',
      UNRELATED: 'not-a-secret-of-ours',
    });
    expect(values.sort()).toEqual(
      [
        'postgres://probe:p%40ss@10.20.0.3:5432/app',
        'p%40ss',
        'p@ss',
        'hunter2-verify',
        'key-0123456789',
        'e93facc04764012d7bfb002500d5d1a6',
      ].sort(),
    );
  });

  it('skips variables that are not set', () => {
    expect(configSecretValues(config, {})).toEqual([]);
  });
});
