import { UnrecoverableError } from 'bullmq';
import type { EnvironmentConfig } from '../config/schema';
import { type CloudRunService, GcpError } from '../gcp/cloud-gateway';
import { requiredRoleFor } from '../gcp/required-role';
import { scrubCredentials } from '../log/scrub-credentials';
import { type Ending, finishRequest, publishRequest, reportProgress } from './finish-request';
import {
  bodyForDisplay,
  carriesRequest,
  describeChanges,
  pickRollbackTarget,
  restartBody,
  rollbackBody,
  servingRevision,
  trafficOn,
} from './plan';
import { FINAL_STATES, type RemediationRequest } from './remediation';
import type { RemediationJobDeps } from './remediation-job-deps';
import { waitForRollout } from './wait-for-rollout';

/**
 * Runs an approved request exactly once, whatever happens to the job:
 * - BullMQ runs one job per request id (a second Approve click or a redelivery adds nothing);
 * - the operation name is stored in Redis as soon as Google accepts the update, and a rerun that
 *   finds it only waits;
 * - a rerun that finds the request's annotation already on the service (the worker died between
 *   Google's answer and the Redis write) only waits too;
 * - every update carries the etag read with the service, so an update sent twice by two workers
 *   racing is refused by Google the second time (409), and the re-read finds the annotation.
 *
 * An error Google may not repeat is retried; an error it will repeat, or any error on the last
 * attempt (`lastAttempt`), ends the request as failed and fails the job with `UnrecoverableError`.
 */
export async function executeRequest(deps: RemediationJobDeps, requestId: string, lastAttempt: boolean) {
  const request = await deps.store.get(requestId);
  if (!request) return 'unknown';
  if (FINAL_STATES.includes(request.state) || request.state === 'awaiting-approval') {
    await publishRequest(deps, requestId);
    return request.state;
  }
  const started = await deps.store.transition(
    requestId,
    ['approved', 'running'],
    'running',
    request.startedAt ? {} : { startedAt: deps.clock.now().toISOString() },
  );
  if (!started.ok) return started.reason;
  await publishRequest(deps, requestId);
  const environment = deps.config.environments[request.environment];
  let ending: Ending;
  try {
    if (!environment) {
      ending = {
        state: 'failed',
        outcome: `failed: environment ${request.environment} is no longer configured`,
      };
    } else {
      ending = await run(deps, started.request, environment);
    }
  } catch (error) {
    if (!lastAttempt && mayPassOnRetry(error)) {
      await reportProgress(
        deps,
        requestId,
        `Google Cloud did not answer (${describeError(error)}); trying again`,
      );
      throw error;
    }
    const why = describeError(error);
    await finishRequest(deps, requestId, { state: 'failed', outcome: `failed: ${why}` });
    // The request has ended: a retry would only find it failed.
    throw new UnrecoverableError(why);
  }
  return finishRequest(deps, requestId, ending);
}

async function run(
  deps: RemediationJobDeps,
  request: RemediationRequest,
  environment: EnvironmentConfig,
): Promise<Ending> {
  const { gateway } = deps;
  const { project, region } = environment;
  const read = () => gateway.getService(project, region, request.service);
  let service = await read();
  let target = request.targetRevision;
  const previous = request.previousRevision ?? servingRevision(service);
  if (!request.operation && !carriesRequest(service, request.action, request.id)) {
    await reportProgress(
      deps,
      request.id,
      `Read ${request.service}: ${previous ?? 'no revision'} serves traffic`,
    );
    if (request.action === 'rollback') {
      const picked = pickRollbackTarget(
        service,
        await gateway.listRevisions(project, region, request.service),
        request.revision,
      );
      if (!picked.ok) return { state: 'failed', outcome: `failed: ${picked.reason} Nothing was changed.` };
      target = picked.revision;
      if (!request.dryRun && trafficOn(service, target) === 100) {
        return {
          state: 'succeeded',
          outcome: `${target} already serves 100% of traffic; nothing was changed.`,
        };
      }
    }
    const build = (s: CloudRunService) =>
      request.action === 'restart' ? restartBody(s, request.id) : rollbackBody(s, target ?? '', request.id);
    if (request.dryRun) {
      const body = build(service);
      await gateway.updateService(body, { validateOnly: true });
      await deps.store.transition(request.id, ['running'], 'running', {
        body: bodyForDisplay(body),
        changes: describeChanges(request.action, service, request.id, target),
        ...(target ? { targetRevision: target } : {}),
      });
      return {
        state: 'previewed',
        outcome: `Dry run: nothing was changed. Google validated the update below (validateOnly); without --dry-run it would ${
          request.action === 'restart'
            ? `create a new revision of ${request.service} to replace ${previous ?? 'the current one'}`
            : `move 100% of traffic from ${previous ?? 'the current revision'} to ${target}`
        }.`,
      };
    }
    const sent = await sendOnce(deps, request, service, build, read);
    if ('ending' in sent) return sent.ending;
    await deps.store.transition(request.id, ['running'], 'running', {
      ...(sent.operation ? { operation: sent.operation } : {}),
      ...(previous ? { previousRevision: previous } : {}),
      ...(target ? { targetRevision: target } : {}),
      body: bodyForDisplay(sent.body),
      changes: describeChanges(request.action, service, request.id, target),
    });
    await reportProgress(
      deps,
      request.id,
      request.action === 'restart'
        ? 'Cloud Run accepted the update: creating a new revision'
        : `Cloud Run accepted the update: moving 100% of traffic to ${target}`,
    );
    service = sent.service ?? service;
  } else {
    await reportProgress(deps, request.id, 'Resuming: the update was already sent; waiting for Cloud Run');
    if (request.action === 'rollback' && !target) target = request.revision;
  }
  return waitForRollout(deps, request, environment, { previous, target }, read);
}

/**
 * Sends the update once. On 409/412 (the service changed since it was read) it re-reads: if the
 * change was our own update (a retry), it is done; otherwise it tries once more with the new etag.
 */
async function sendOnce(
  deps: RemediationJobDeps,
  request: RemediationRequest,
  first: CloudRunService,
  build: (service: CloudRunService) => CloudRunService,
  read: () => Promise<CloudRunService>,
): Promise<{ operation?: string; body: CloudRunService; service?: CloudRunService } | { ending: Ending }> {
  let service = first;
  for (let attempt = 1; ; attempt++) {
    const body = build(service);
    try {
      const operation = await deps.gateway.updateService(body);
      return { operation: operation.name, body };
    } catch (error) {
      if (!(error instanceof GcpError) || error.kind !== 'conflict') throw error;
      service = await read();
      if (carriesRequest(service, request.action, request.id)) return { body, service };
      if (attempt >= 2) {
        return {
          ending: {
            state: 'failed',
            outcome: `failed: ${request.service} changed twice while Warroom tried to update it (etag conflict; is someone deploying?). Warroom changed nothing; look with /incident diag ${request.environment} and ask again.`,
          },
        };
      }
      await reportProgress(
        deps,
        request.id,
        `${request.service} changed since it was read (etag); reading it again and retrying once`,
      );
    }
  }
}

/** Google's answers that a later try may not get again; anything else Google says is final. */
function mayPassOnRetry(error: unknown): boolean {
  return !(error instanceof GcpError) || ['unavailable', 'timeout', 'rate-limited'].includes(error.kind);
}

/** In words for the request's message and outcome; whatever the error quotes is scrubbed. */
function describeError(error: unknown): string {
  if (error instanceof GcpError) {
    if (error.kind === 'permission-denied') {
      const role = error.permission ? requiredRoleFor(error.permission) : undefined;
      return `permission denied${error.permission ? ` (${error.permission}` : ''}${role ? `; grant ${role} to Warroom's service account)` : error.permission ? ')' : ''}`;
    }
    return `${error.kind}: ${scrubCredentials(error.message)}`;
  }
  return scrubCredentials(error instanceof Error ? error.message : String(error));
}
