import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import type { Clock } from '../incident/clock';
import type { Logger } from '../log/logger';
import type { KeyPrefix } from '../queue/key-prefix';
import type { Queues } from './build-queues';
import type { Stores } from './build-stores';

/** What the command side and the workers are both built from. */
export interface SideOptions {
  config: Config;
  log: Logger;
  /** This side's connection; every store in `stores` uses it too. */
  redis: Redis;
  prefix: KeyPrefix;
  stores: Stores;
  queues: Queues;
  clock: Clock;
}
