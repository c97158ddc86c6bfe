import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';
import type { Clock } from '../incident/clock';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import type { RedisRemediationStore } from './redis-remediation-store';

export interface RemediationTiming {
  /** Between looks at the operation and the service while Cloud Run rolls out (default 2 s). */
  pollIntervalMs: number;
  /** From the start of the run until Warroom gives up waiting for readiness (default 10 min). */
  readyTimeoutMs: number;
}

export const DEFAULT_REMEDIATION_TIMING: RemediationTiming = {
  pollIntervalMs: 2000,
  readyTimeoutMs: 10 * 60_000,
};

export interface RemediationJobDeps {
  store: RedisRemediationStore;
  outbox: RedisOutbox;
  incidents: RedisIncidentStore;
  gateway: CloudGateway;
  config: Config;
  clock: Clock;
  log: Logger;
  timing: RemediationTiming;
}
