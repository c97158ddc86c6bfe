import { routeJobs } from '../queue/job-routes';
import { isLastAttempt } from '../queue/last-attempt';
import { executeRequest } from './execute-request';
import { expireRequest } from './remediation-desk';
import type { RemediationJobDeps } from './remediation-job-deps';
import { REMEDIATION_QUEUE, type RemediationJobs } from './remediation-queue';

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
