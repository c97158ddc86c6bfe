import { CHECKS } from './checks';
import type { DiagJobDeps } from './diag-job-deps';
import type { CheckName, Finding } from './finding';

/** Runs one check within the run's deadline; a check that cannot run or does not answer still gives a finding. */
export async function runCheck(
  deps: DiagJobDeps,
  environmentName: string,
  name: CheckName,
): Promise<Finding> {
  const environment = deps.config.environments[environmentName];
  const check = CHECKS.find((c) => c.name === name);
  if (!environment || !check) return didNotReport(name, `unknown ${environment ? 'check' : 'environment'}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.checkDeadlineMs);
  const started = Date.now();
  try {
    // The check honours the signal; the race is a backstop for one that does not.
    return await Promise.race([
      check.run({
        environmentName,
        environment,
        gateway: deps.gateway,
        signal: controller.signal,
        now: new Date(),
        env: deps.env,
      }),
      new Promise<Finding>((resolve) =>
        setTimeout(
          () => resolve(timedOut(name, Date.now() - started, deps.checkDeadlineMs)),
          deps.checkDeadlineMs + 1000,
        ).unref(),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The finding of a check that gave none: unknown, with why and where to look. */
export function didNotReport(
  check: CheckName,
  reason = 'the check did not report (its job failed)',
): Finding {
  return {
    check,
    status: 'unknown',
    summary: `did not report: ${reason}`,
    details: [],
    evidence: {},
    cannotRun: { reason, fix: 'see the worker logs for this run' },
    durationMs: 0,
  };
}

function timedOut(check: CheckName, durationMs: number, deadlineMs: number): Finding {
  const reason = `no answer within ${Math.round(deadlineMs / 1000)} s`;
  return {
    check,
    status: 'unknown',
    summary: `timed out: ${reason}`,
    details: [],
    evidence: {},
    cannotRun: { reason },
    durationMs,
  };
}
