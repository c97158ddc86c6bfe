import { RedisOutbox } from '../chat/redis-outbox';
import { RedisDiagRunStore } from '../diag/redis-diag-run-store';
import { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { RedisPagerDutyStore } from '../pagerduty/redis-pagerduty-store';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import { RedisRemediationStore } from '../remediation/redis-remediation-store';
import { RedisWatchStore } from '../verify/redis-watch-store';

/** Every Redis store Warroom keeps, over one connection. */
export interface Stores {
  incidents: RedisIncidentStore;
  outbox: RedisOutbox;
  diagRuns: RedisDiagRunStore;
  remediations: RedisRemediationStore;
  watches: RedisWatchStore;
  pagerDuty: RedisPagerDutyStore;
}

export function buildStores(redis: RedisClient, prefix: KeyPrefix, log: Logger): Stores {
  return {
    incidents: new RedisIncidentStore(redis, prefix, { onWarning: (w) => log.warn(w, 'incident store') }),
    outbox: new RedisOutbox({ redis, prefix }),
    diagRuns: new RedisDiagRunStore(redis, prefix),
    remediations: new RedisRemediationStore(redis, prefix),
    watches: new RedisWatchStore(redis, prefix),
    pagerDuty: new RedisPagerDutyStore(redis, prefix),
  };
}
