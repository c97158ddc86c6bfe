import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';
import type { Clock } from '../incident/clock';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { routeJobs } from '../queue/job-routes';
import { isLastAttempt } from '../queue/last-attempt';
import { executeRequest } from './execute-request';
import type { RedisRemediationStore } from './redis-remediation-store';
import { expireRequest } from './remediation-desk';
import { REMEDIATION_QUEUE, type RemediationJobs } from './remediation-queue';

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

/** The processor of the remediation queue. */
export function remediationProcessor(deps: RemediationJobDeps) {
  return routeJobs<RemediationJobs>(REMEDIATION_QUEUE, {
    execute: (data, job) => executeRequest(deps, data.requestId, isLastAttempt(job)),
    expire: async (data) => {
      const request = await deps.store.get(data.requestId);
      if (request?.state !== 'awaiting-approval') return 'decided';
      if (request.expiresAt && deps.clock.now().getTime() < Date.parse(request.expiresAt)) return 'not due';
      await expireRequest(deps, data.requestId);
      return 'expired';
    },
  });
}
