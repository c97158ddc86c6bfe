import type { EnvironmentConfig } from '../config/schema';
import { describeFailure } from '../diag/checks/cannot-run';
import { DB_CONNECT_TARGET_MS } from '../diag/checks/database';
import { HEALTH_THRESHOLD_MS } from '../diag/checks/health';
import type { CloudGateway } from '../gcp/cloud-gateway';
import { type Criterion, checkCloudRun, checkDatabase, checkHealth, checkSteps } from './criteria';

import type { CriterionName, CriterionResult, VerifyResult } from './verify-result';

export interface VerifyInput {
  environment: EnvironmentConfig;
  gateway: CloudGateway;
  env: NodeJS.ProcessEnv;
  now: Date;
  signal?: AbortSignal;
  /** Default 10 s (OUTAGE.md); tests shorten it. */
  healthThresholdMs?: number;
  /** Default 35 s. */
  databaseTargetMs?: number;
}

/**
 * Checks the environment against OUTAGE.md's success criteria for "resolved": health endpoints,
 * database connect time, Cloud Run readiness and the configured HTTP and WebSocket steps, all four in parallel.
 * Never rejects: a criterion that cannot be checked fails and says why.
 */
export async function runVerification(input: VerifyInput): Promise<VerifyResult> {
  const context = {
    ...input,
    signal: input.signal ?? new AbortController().signal,
    healthThresholdMs: input.healthThresholdMs ?? HEALTH_THRESHOLD_MS,
    databaseTargetMs: input.databaseTargetMs ?? DB_CONNECT_TARGET_MS,
  };
  const criteria = await Promise.all(
    (
      [
        ['health', checkHealth],
        ['database', checkDatabase],
        ['cloud-run', checkCloudRun],
        ['steps', checkSteps],
      ] as const
    ).map(([name, check]) => timed(name, () => check(context))),
  );
  const checked = criteria.filter((c) => c.status !== 'not-checked');
  return {
    environment: input.environment.name,
    at: input.now.toISOString(),
    passed: checked.length > 0 && checked.every((c) => c.status === 'pass'),
    criteria,
  };
}

async function timed(name: CriterionName, check: () => Promise<Criterion>): Promise<CriterionResult> {
  const started = performance.now();
  let result: Criterion;
  try {
    result = await check();
  } catch (error) {
    // The criteria catch what they expect; this is the net for what they do not.
    result = { status: 'fail', summary: `could not check: ${describeFailure(error).reason}`, details: [] };
  }
  return { criterion: name, ...result, durationMs: Math.round(performance.now() - started) };
}
