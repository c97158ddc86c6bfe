import type { EnvironmentConfig } from '../config/schema';
import type { CloudRunService } from '../gcp/cloud-gateway';
import { type Ending, reportProgress } from './finish-request';
import { carriesRequest, type Rollout, restartRollout, rollbackRollout, servingRevision } from './plan';
import type { RemediationRequest } from './remediation';
import type { RemediationJobDeps } from './remediation-job-deps';

/**
 * Follows an update Cloud Run accepted: the operation until it is done, then the service until
 * the new revision is ready, fails, or the run's deadline passes. A service that no longer
 * carries the request's annotation was changed by someone else.
 */
export async function waitForRollout(
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
      await reportProgress(deps, request.id, rollout.detail);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
