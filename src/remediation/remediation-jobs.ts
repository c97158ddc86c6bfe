import type { Job } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config, EnvironmentConfig } from '../config/schema';
import { type CloudGateway, type CloudRunService, GcpError } from '../gcp/cloud-gateway';
import { requiredRoleFor } from '../gcp/required-role';
import type { Clock } from '../incident/clock';
import { BOT_ACTOR } from '../incident/incident';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { scrubCredentials } from '../log/scrub-credentials';
import {
  bodyForDisplay,
  carriesRequest,
  describeChanges,
  pickRollbackTarget,
  type Rollout,
  restartBody,
  restartRollout,
  rollbackBody,
  rollbackRollout,
  servingRevision,
  trafficOn,
} from './plan';
import type { RedisRemediationStore } from './redis-remediation-store';
import { describeRequest, FINAL_STATES, type RemediationRequest } from './remediation';
import { expireRequest, recordRemediation } from './remediation-desk';
import type { RemediationJobName, RemediationJobs } from './remediation-queue';
import { showRequest } from './render-remediation';

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

/** How a run ended. */
type Ending = { state: 'succeeded' | 'failed' | 'previewed'; outcome: string };

/**
 * Runs an approved request exactly once, whatever happens to the job:
 * - BullMQ runs one job per request id (a second Approve click or a redelivery adds nothing);
 * - the operation name is stored in Redis as soon as Google accepts the update, and a rerun that
 *   finds it only waits;
 * - a rerun that finds the request's annotation already on the service (the worker died between
 *   Google's answer and the Redis write) only waits too;
 * - every update carries the etag read with the service, so an update sent twice by two workers
 *   racing is refused by Google the second time (409), and the re-read finds the annotation.
 */
export async function executeRequest(deps: RemediationJobDeps, requestId: string, lastAttempt: boolean) {
  const request = await deps.store.get(requestId);
  if (!request) return 'unknown';
  if (FINAL_STATES.includes(request.state) || request.state === 'awaiting-approval') {
    await publish(deps, requestId);
    return request.state;
  }
  const started = await deps.store.transition(
    requestId,
    ['approved', 'running'],
    'running',
    request.startedAt ? {} : { startedAt: deps.clock.now().toISOString() },
  );
  if (!started.ok) return started.reason;
  await publish(deps, requestId);
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
    const permanent =
      error instanceof GcpError && !['unavailable', 'timeout', 'rate-limited'].includes(error.kind);
    if (!permanent && !lastAttempt) {
      await progress(deps, requestId, `Google Cloud did not answer (${describeError(error)}); trying again`);
      throw error;
    }
    ending = { state: 'failed', outcome: `failed: ${describeError(error)}` };
  }
  return finish(deps, requestId, ending);
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
    await progress(deps, request.id, `Read ${request.service}: ${previous ?? 'no revision'} serves traffic`);
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
    await progress(
      deps,
      request.id,
      request.action === 'restart'
        ? 'Cloud Run accepted the update: creating a new revision'
        : `Cloud Run accepted the update: moving 100% of traffic to ${target}`,
    );
    service = sent.service ?? service;
  } else {
    await progress(deps, request.id, 'Resuming: the update was already sent; waiting for Cloud Run');
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
      await progress(
        deps,
        request.id,
        `${request.service} changed since it was read (etag); reading it again and retrying once`,
      );
    }
  }
}

async function waitForRollout(
  deps: RemediationJobDeps,
  request: RemediationRequest,
  environment: EnvironmentConfig,
  revisions: { previous?: string; target?: string },
  read: () => Promise<CloudRunService>,
): Promise<Ending> {
  const { timing } = deps;
  const current = (await deps.store.get(request.id)) ?? request;
  const startedAt = Date.parse(current.startedAt ?? current.requestedAt);
  const deadline = startedAt + timing.readyTimeoutMs;
  const operation = current.operation;
  if (operation) {
    while (Date.now() < deadline) {
      const state = await deps.gateway.getOperation(operation);
      if (state.done) break;
      await sleep(timing.pollIntervalMs);
    }
  }
  let lastDetail = '';
  for (;;) {
    const service = await read();
    if (!carriesRequest(service, request.action, request.id)) {
      return {
        state: 'failed',
        outcome: `failed: another change replaced Warroom's update of ${request.service} before it finished. Look with /incident diag ${environment.name}.`,
      };
    }
    const rollout: Rollout =
      request.action === 'restart'
        ? restartRollout(service)
        : rollbackRollout(service, revisions.target ?? '');
    if (rollout.phase === 'ready') {
      return {
        state: 'succeeded',
        outcome:
          request.action === 'restart'
            ? `${rollout.revision} is ready and serving (it replaces ${revisions.previous ?? 'the previous revision'}).`
            : `100% of traffic is on ${rollout.revision} (was ${revisions.previous ?? 'another revision'}).`,
      };
    }
    if (rollout.phase === 'failed') {
      const serving = servingRevision(service) ?? revisions.previous ?? 'the previous revision';
      return {
        state: 'failed',
        outcome:
          `failed: the new revision ${rollout.revision ?? ''} did not become ready: ${rollout.message} Traffic stayed on ${serving}. Try /incident rollback ${environment.name} ${request.service}, or /incident diag ${environment.name} to see why.`.replace(
            'revision  did',
            'revision did',
          ),
      };
    }
    if (rollout.detail !== lastDetail) {
      await progress(deps, request.id, rollout.detail);
      lastDetail = rollout.detail;
    }
    if (Date.now() >= deadline) {
      return {
        state: 'failed',
        outcome: `failed: not ready after ${Math.round(timing.readyTimeoutMs / 60_000)} min (${rollout.detail}). Cloud Run may still finish; look with /incident diag ${environment.name}.`,
      };
    }
    await sleep(timing.pollIntervalMs);
  }
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
  return finish(
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

async function finish(
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
  await publish(deps, requestId);
  deps.log.info({ requestId, state: request.state }, 'remediation finished');
  return request.state;
}

async function progress(deps: RemediationJobDeps, requestId: string, text: string): Promise<void> {
  await deps.store.addProgress(requestId, { at: deps.clock.now().toISOString(), text });
  await publish(deps, requestId);
}

/** Renders the request's message from Redis and hands it to the outbox (it coalesces updates). */
export async function publish(
  deps: Pick<RemediationJobDeps, 'store' | 'outbox'>,
  requestId: string,
): Promise<void> {
  const request = await deps.store.get(requestId);
  if (request) await showRequest(deps.outbox, request);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The processor of the remediation queue. */
export function remediationProcessor(deps: RemediationJobDeps) {
  return async (job: Job) => {
    const name = job.name as RemediationJobName;
    if (name === 'execute') {
      const data = job.data as RemediationJobs['execute'];
      const attempts = job.opts.attempts ?? 1;
      return executeRequest(deps, data.requestId, job.attemptsMade + 1 >= attempts);
    }
    if (name === 'expire') {
      const data = job.data as RemediationJobs['expire'];
      const request = await deps.store.get(data.requestId);
      if (request?.state !== 'awaiting-approval') return 'decided';
      if (request.expiresAt && deps.clock.now().getTime() < Date.parse(request.expiresAt)) return 'not due';
      await expireRequest(deps, data.requestId);
      return 'expired';
    }
    throw new Error(`unknown remediation job ${job.name}`);
  };
}
