import { stringify } from 'yaml';

/** The smallest valid config file: one staging environment, with the keys of `environment` added. */
export function stagingYaml(environment: Record<string, unknown> = {}): string {
  return stringify({
    environments: {
      staging: {
        project: 'acme-staging',
        region: 'us-central1',
        sqlInstance: 'staging-db',
        services: ['backend'],
        ...environment,
      },
    },
  });
}
