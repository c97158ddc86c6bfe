import type { Config } from '../config/schema';
import type { Clock } from '../incident/clock';
import type { IncidentCore } from '../incident/incident-deps';
import type { Logger } from '../log/logger';
import type { PagerDutyLink } from '../pagerduty/pagerduty-link';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { Queues } from './build-queues';
import type { Stores } from './build-stores';

/** What the command side and the workers are both built from. */
export interface SideOptions {
  config: Config;
  log: Logger;
  /** This side's connection; every store in `stores` uses it too. */
  redis: RedisClient;
  prefix: KeyPrefix;
  stores: Stores;
  queues: Queues;
  clock: Clock;
  /** The Events API and the variables holding routing keys; the record of what was sent is in `stores`. */
  pagerDuty?: Omit<PagerDutyLink, 'store'>;
}

/** What the incident desk and the incident jobs both use, from this side's stores and queues. */
export function incidentCore(options: SideOptions, links?: IncidentCore['links']): IncidentCore {
  const { stores, queues, config, clock, log } = options;
  return {
    store: stores.incidents,
    outbox: stores.outbox,
    queue: queues.incident,
    config,
    clock,
    log: log.child({ component: 'incident' }),
    ...(links ? { links } : {}),
    ...(options.pagerDuty ? { pagerDuty: { ...options.pagerDuty, store: stores.pagerDuty } } : {}),
  };
}
