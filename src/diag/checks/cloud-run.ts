import type { CloudRunRevision, CloudRunService } from '../../gcp/cloud-gateway';
import type { Check, CheckContext } from '../finding';
import { gapText, isNotFound, needs, unavailableBecause } from './cannot-run';
import {
  judgeService,
  type ServiceEvidence,
  type ServiceExpectation,
  type ServiceJudgement,
} from './cloud-run-service';
import { type Judgement, worst } from './judgement';
import { reasonsKey } from './revision-reasons';
import type { SignalEvidence } from './signals';
import { runJudged } from './with-deadline';

/** Judges every configured service and folds them into one Finding. Pure. */
export function judgeCloudRun(
  services: readonly ServiceEvidence[],
  expected: ServiceExpectation,
  now: Date,
): Judgement {
  const judged = services.map((service) => judgeService(service, expected, now));
  const notReady = judged.filter((s) => !s.ready);
  const problems = groupProblems(judged);
  const head =
    notReady.length === 0
      ? `${judged.length}/${judged.length} services ready`
      : `${notReady.length}/${judged.length} services not ready`;
  const exitCode = judged.find((s) => s.exitCode !== undefined)?.exitCode;
  const signals: SignalEvidence = {
    region: expected.region,
    servicesTotal: judged.length,
    servicesNotReady: notReady.length,
    servicesMissing: judged.filter((s) => s.missing).length,
    servicesWrongConnector: judged.filter((s) => s.wrongConnector).length,
    startupExitCode: exitCode ?? null,
    recentRevisions: judged.filter((s) => s.recentRevision).length,
    cloudSqlVolumes: judged.filter((s) => s.cloudSqlVolume).length,
    runtimeAccounts: runtimeAccounts(judged),
  };
  // Direct VPC egress has no connector check to show it, so the route is part of the summary.
  const direct = [...new Set(judged.flatMap((s) => (s.directVpc ? [s.directVpc] : [])))];
  const route = direct.length > 0 ? `; Direct VPC egress: ${direct.join(' | ')}` : '';
  return {
    check: 'cloud-run',
    status: worst(judged.map((s) => s.status)),
    summary: `${problems.length > 0 ? `${head}: ${problems.join('; ')}` : head}${route}`,
    details: judged.flatMap((s) => s.details),
    evidence: {
      ...signals,
      ...Object.fromEntries(judged.map((s) => [`ready:${s.name}`, s.ready])),
      ...Object.fromEntries(
        judged.filter((s) => s.reasons.length > 0).map((s) => [reasonsKey(s.name), s.reasons.join(',')]),
      ),
    },
  };
}

/** The services' runtime accounts, comma-separated; the default compute account stands for those without one. */
function runtimeAccounts(judged: readonly ServiceJudgement[]): string | null {
  const present = judged.filter((s) => !s.missing);
  if (present.length === 0) return null;
  const accounts = present.map((s) => s.account ?? 'PROJECT_NUMBER-compute@developer.gserviceaccount.com');
  return [...new Set(accounts)].join(',');
}

/** "backend, auth exited during start-up (exit code 3)": one phrase per distinct problem, in service order. */
function groupProblems(judged: readonly ServiceJudgement[]): string[] {
  const names = new Map<string, string[]>();
  for (const { name, problem } of judged)
    if (problem) names.set(problem, [...(names.get(problem) ?? []), name]);
  return [...names].map(
    ([problem, who]) => `${who.join(', ')}${problem.startsWith(':') ? '' : ' '}${problem}`,
  );
}

/** Reads one service and its revisions; a missing service is evidence, any other failure rejects. */
export async function collectService(context: CheckContext, name: string): Promise<ServiceEvidence> {
  const { gateway, environment, signal } = context;
  let service: CloudRunService;
  try {
    service = await needs(
      'run.services.get',
      gateway.getService(environment.project, environment.region, name, { signal }),
    );
  } catch (error) {
    if (isNotFound(error)) return { name, service: null, revisions: [] };
    throw error;
  }
  try {
    const revisions: CloudRunRevision[] = await needs(
      'run.revisions.list',
      gateway.listRevisions(environment.project, environment.region, name, { signal }),
    );
    return { name, service, revisions };
  } catch (error) {
    // The service alone answers "is it ready"; revisions only add the exit code and deploy time.
    return { name, service, revisions: [], revisionsUnavailable: gapText(unavailableBecause(error)) };
  }
}

/** Cloud Run services: readiness, failing revisions, connector routing and start-up probes. */
export const cloudRunCheck: Check = {
  name: 'cloud-run',
  run: (outer) =>
    runJudged('cloud-run', outer, async (context) => {
      const { environment } = context;
      const services = await Promise.all(environment.services.map((name) => collectService(context, name)));
      return judgeCloudRun(
        services,
        { region: environment.region, connector: environment.connector },
        context.now,
      );
    }),
};
