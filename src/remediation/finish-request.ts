import { BOT_ACTOR } from '../incident/incident';
import { describeRequest, type RemediationRequest } from './remediation';
import { recordRemediation } from './remediation-desk';
import type { RemediationJobDeps } from './remediation-job-deps';
import { showRequest } from './render-remediation';

/** How a run ended. */
export type Ending = { state: 'succeeded' | 'failed' | 'previewed'; outcome: string };

/**
 * Ends a request: its final state and outcome, the service freed, the result on the incident's
 * timeline and the message. Moves only from `from`; a request already ended is told as it ended.
 */
export async function finishRequest(
  deps: RemediationJobDeps,
  requestId: string,
  ending: Ending,
  from: RemediationRequest['state'][] = ['running'],
): Promise<string> {
  const finishedAt = deps.clock.now().toISOString();
  const moved = await deps.store.transition(requestId, from, ending.state, {
    finishedAt,
    outcome: ending.outcome,
  });
  const request = moved.ok ? moved.request : moved.reason === 'conflict' ? moved.request : undefined;
  if (!request) return 'unknown';
  if (!request.dryRun) await deps.store.releaseActive(request.environment, request.service, request.id);
  await recordRemediation(
    deps,
    request,
    'remediation-done',
    `${request.dryRun ? 'Dry run of ' : ''}${describeRequest(request)}: ${request.outcome ?? ending.outcome}`,
    {
      outcome:
        request.state === 'succeeded' ? `succeeded: ${request.outcome}` : (request.outcome ?? ending.outcome),
    },
    BOT_ACTOR,
  );
  await publishRequest(deps, requestId);
  deps.log.info({ requestId, state: request.state }, 'remediation finished');
  return request.state;
}

/** Adds a line to the request's progress and shows it. */
export async function reportProgress(
  deps: RemediationJobDeps,
  requestId: string,
  text: string,
): Promise<void> {
  await deps.store.addProgress(requestId, { at: deps.clock.now().toISOString(), text });
  await publishRequest(deps, requestId);
}

/** Renders the request's message from Redis and hands it to the outbox (it coalesces updates). */
export async function publishRequest(
  deps: Pick<RemediationJobDeps, 'store' | 'outbox'>,
  requestId: string,
): Promise<void> {
  const request = await deps.store.get(requestId);
  if (request) await showRequest(deps.outbox, request);
}
