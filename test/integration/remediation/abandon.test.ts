import Redis from 'ioredis';
import { RedisOutbox } from '../../../src/chat/redis-outbox';
import type { CloudGateway } from '../../../src/gcp/cloud-gateway';
import { systemClock } from '../../../src/incident/clock';
import { RedisIncidentStore } from '../../../src/incident/redis-incident-store';
import { createLogger } from '../../../src/log/logger';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { abandonRequest } from '../../../src/remediation/abandon-when-bullmq-gives-up';
import { RedisRemediationStore } from '../../../src/remediation/redis-remediation-store';
import type { RemediationRequest } from '../../../src/remediation/remediation';
import { DEFAULT_REMEDIATION_TIMING } from '../../../src/remediation/remediation-job-deps';
import { configFrom } from '../../support/command-context';
import { deleteKeys, REDIS_URL, stagingConfigYaml } from '../../support/test-config';

describe('a restart whose job BullMQ gave up on', () => {
  const prefix = KeyPrefix.of(`test-abandon-${process.pid}`);
  const redis = new Redis(REDIS_URL);
  const store = new RedisRemediationStore(redis, prefix);
  const deps = {
    store,
    outbox: new RedisOutbox({ redis, prefix }),
    incidents: new RedisIncidentStore(redis, prefix),
    // Abandoning reads nothing from Google: a gateway that would throw proves it.
    gateway: {} as CloudGateway,
    config: configFrom(stagingConfigYaml('test-abandon')),
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
    timing: DEFAULT_REMEDIATION_TIMING,
  };
  const request = (
    id: string,
    state: RemediationRequest['state'],
    operation?: string,
  ): RemediationRequest => ({
    id,
    action: 'restart',
    environment: 'staging',
    service: 'backend',
    dryRun: false,
    requestedBy: 'U1',
    channelId: 'C1',
    requestedAt: new Date().toISOString(),
    approval: 'none',
    state,
    progress: [],
    ...(operation ? { operation } : {}),
  });
  afterAll(async () => {
    await deleteKeys(prefix.pattern);
    redis.disconnect();
  });

  it('ends it as failed, says the update may still complete, and frees the service', async () => {
    await store.create(request('r0000000001', 'running', 'projects/p/locations/r/operations/op-1'));
    await store.claimActive('staging', 'backend', 'r0000000001', 60_000);
    expect(await abandonRequest(deps, 'r0000000001', 'job stalled more than allowable limit')).toBe('failed');
    const ended = await store.get('r0000000001');
    expect(ended?.state).toBe('failed');
    expect(ended?.outcome).toContain('the update was sent and may still complete');
    expect(await store.activeFor('staging', 'backend')).toBeUndefined();
  });

  it('leaves a request that already ended as it was', async () => {
    await store.create(request('r0000000002', 'succeeded'));
    expect(await abandonRequest(deps, 'r0000000002', 'late failure')).toBe('succeeded');
    expect((await store.get('r0000000002'))?.state).toBe('succeeded');
  });
});
