import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { deleteKeysMatching } from '../../src/shell/local-redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A staging environment like the one in the outage, with a queue prefix of its own. `connector`
 * null leaves the connector out (Direct VPC egress).
 */
export function stagingConfigYaml(
  prefix: string,
  extra = '',
  environmentExtra: string[] = [],
  connector: string | null = 'staging-connector',
): string {
  return [
    'environments:',
    '  staging:',
    '    project: acme-staging',
    '    region: us-central1',
    ...(connector === null ? [] : [`    connector: ${connector}`]),
    '    sqlInstance: staging-db',
    '    services: [backend, auth, ai]',
    ...environmentExtra.map((line) => `    ${line}`),
    `queue: { prefix: ${prefix} }`,
    extra,
  ].join('\n');
}

export interface TestConfig {
  path: string;
  prefix: string;
  /** Deletes every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

export function writeTestConfig(
  extra = '',
  environmentExtra: string[] = [],
  connector: string | null = 'staging-connector',
): TestConfig {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'warroom-test-'));
  const path = join(dir, 'warroom.yml');
  writeFileSync(path, stagingConfigYaml(prefix, extra, environmentExtra, connector));
  return { path, prefix, cleanup: () => deleteKeys(KeyPrefix.of(prefix).pattern) };
}

export function deleteKeys(pattern: string, url = REDIS_URL): Promise<void> {
  return deleteKeysMatching(url, pattern);
}
