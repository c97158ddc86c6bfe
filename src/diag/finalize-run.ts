import { BOT_ACTOR } from '../incident/incident';
import type { DiagJobDeps } from './diag-job-deps';
import type { DiagRun } from './diag-run';
import type { Finding } from './finding';
import { didNotReport } from './run-check';
import { decideVerdict, type Verdict } from './verdict';

/**
 * Decides and records the verdict once every check has a finding (or, with `force`, marks the
 * missing ones as not reported first). True when the run is finished.
 */
export async function finalizeRun(
  deps: DiagJobDeps,
  runId: string,
  options: { force: boolean },
): Promise<boolean> {
  const loaded = await deps.store.get(runId);
  if (!loaded) return false;
  const { run } = loaded;
  if (run.verdict) {
    await recordOnIncident(deps, run, run.verdict, run.finishedAt ?? new Date().toISOString());
    return true;
  }
  const missing = run.checks.filter((check) => !run.findings[check]);
  if (missing.length > 0 && !options.force) return false;
  const notReported = missing.map((check) => didNotReport(check));
  for (const finding of notReported) {
    await deps.store.setFinding(finding, runId);
    await recordFinding(deps, run, finding);
  }
  const findings = [...(Object.values(run.findings) as Finding[]), ...notReported];
  const verdict = decideVerdict(findings);
  const finishedAt = new Date().toISOString();
  if (await deps.store.finish(runId, verdict, finishedAt)) {
    deps.log.info({ runId, environment: run.environment, verdict: verdict.code }, 'diag finished');
  }
  await recordOnIncident(deps, run, verdict, finishedAt);
  return true;
}

/** Each check's result goes on the incident's timeline once, as it comes in. */
export async function recordFinding(deps: DiagJobDeps, run: DiagRun, finding: Finding): Promise<void> {
  if (!run.incidentId || !deps.incidents) return;
  await deps.incidents.appendOnce(
    run.incidentId,
    {
      at: new Date().toISOString(),
      actor: BOT_ACTOR,
      kind: 'finding',
      text: `${finding.check}: ${finding.status} — ${finding.summary}`.slice(0, 1000),
      data: { runId: run.id, check: finding.check, status: finding.status, summary: finding.summary },
    },
    `finding:${run.id}:${finding.check}`,
  );
}

/** The verdict goes on the incident's timeline once, whichever worker gets here first. */
async function recordOnIncident(
  deps: DiagJobDeps,
  run: DiagRun,
  verdict: Verdict,
  finishedAt: string,
): Promise<void> {
  if (!run.incidentId || !deps.incidents) return;
  await deps.incidents.appendOnce(
    run.incidentId,
    {
      at: finishedAt,
      actor: BOT_ACTOR,
      kind: 'diag-finished',
      text: `verdict: ${verdict.code} — ${verdict.title}`,
      data: {
        runId: run.id,
        environment: run.environment,
        verdict: verdict.code,
        title: verdict.title,
        explanation: verdict.explanation,
        evidence: verdict.evidence,
      },
    },
    `diag-finished:${run.id}`,
  );
}
