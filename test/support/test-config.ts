import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A staging environment like the one in the outage, with a queue prefix of its own. */
export function stagingConfigYaml(prefix: string, extra = '', environmentExtra: string[] = []): string {
  return [
    'environments:',
    '  staging:',
    '    project: acme-staging',
    '    region: us-central1',
    '    connector: staging-connector',
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

export function writeTestConfig(extra = '', environmentExtra: string[] = []): TestConfig {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'warroom-test-'));
  const path = join(dir, 'warroom.yml');
  writeFileSync(path, stagingConfigYaml(prefix, extra, environmentExtra));
  return { path, prefix, cleanup: () => deleteKeys(`{${prefix}}*`) };
}

export async function deleteKeys(pattern: string, url = REDIS_URL): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
