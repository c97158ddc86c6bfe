import type { FlowProducer } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import type { RedisDiagRunStore } from './redis-diag-run-store';

/** What the diag jobs use. */
export interface DiagJobDeps {
  store: RedisDiagRunStore;
  /** Creates each run's flow of jobs. */
  flows: FlowProducer;
  /** Runs started in an incident channel are recorded on that incident's timeline. */
  incidents?: RedisIncidentStore;
  outbox: RedisOutbox;
  gateway: CloudGateway;
  config: Config;
  log: Logger;
  /** The variables Warroom was started with, for the database probe's DSN variable. */
  env: Readonly<Record<string, string | undefined>>;
  checkDeadlineMs: number;
}
