import type { Worker } from 'bullmq';
import { scrubCredentials } from '../log/scrub-credentials';
import { failedForGood } from '../queue/last-attempt';
import { finishRequest } from './finish-request';
import type { RemediationJobDeps } from './remediation-job-deps';
import type { RemediationJobName, RemediationJobs } from './remediation-queue';

/**
 * Ends the request of an `execute` job BullMQ gave up on: it stalled too often (its workers died),
 * or it failed on its last attempt. Call once on the remediation worker.
 */
export function abandonWhenBullmqGivesUp(
  worker: Worker<RemediationJobs[RemediationJobName]>,
  deps: RemediationJobDeps,
): void {
  worker.on('failed', (job, error) => {
    if (job?.name !== 'execute' || !failedForGood(job, error)) return;
    void abandonRequest(deps, job.data.requestId, error.message).catch(() => {});
  });
}

/**
 * Ends a request whose job BullMQ gave up on (its worker stalled too often, or it failed for good)
 * without the processor saying how it ended: said plainly, with the update possibly applied.
 */
export async function abandonRequest(
  deps: RemediationJobDeps,
  requestId: string,
  reason: string,
): Promise<string> {
  const request = await deps.store.get(requestId);
  if (!request || !['approved', 'running'].includes(request.state)) return request?.state ?? 'unknown';
  return finishRequest(
    deps,
    requestId,
    {
      state: 'failed',
      outcome: `failed: Warroom stopped following this ${request.action} (${scrubCredentials(reason).slice(0, 200)})${
        request.operation ? '; the update was sent and may still complete' : ''
      }. Look with /incident diag ${request.environment} before asking again.`,
    },
    ['approved', 'running'],
  );
}
