import { routeJobs } from '../queue/job-routes';
import { DEFAULT_JOB_OPTIONS } from '../queue/queues';
import type { DiagJobDeps } from './diag-job-deps';
import {
  DIAG_CHECK_QUEUE,
  DIAG_QUEUE,
  DIAG_START_QUEUE,
  type DiagCheckJobData,
  type DiagCheckJobs,
  type DiagRunJobs,
  type DiagStartJobs,
  diagJobIds,
} from './diag-queue';
import { type DiagRunMeta, diagMessageKeys } from './diag-run';
import { finalizeRun, recordFinding } from './finalize-run';
import { publishStatus } from './publish-status';
import { renderFindingDetail } from './render-diag';
import { runCheck } from './run-check';

/**
 * Records a run, posts its live message and adds its flow: a child job per check (in parallel, on
 * any worker) under a parent that decides the verdict once all have reported. Safe to repeat: the
 * record is kept if it exists, the message is rendered from the stored state, and BullMQ ignores
 * job ids it already has.
 */
export function diagStartProcessor(deps: DiagJobDeps) {
  return routeJobs<DiagStartJobs>(DIAG_START_QUEUE, { start: (data) => startRun(deps, data.meta) });
}

async function startRun(deps: DiagJobDeps, meta: DiagRunMeta): Promise<string> {
  await deps.store.create(meta);
  if (meta.incidentId && deps.incidents) {
    await deps.incidents.appendOnce(
      meta.incidentId,
      {
        at: meta.startedAt,
        actor: meta.requestedBy,
        kind: 'diag-started',
        text: `Diagnosis of ${meta.environment} started`,
        data: { runId: meta.id, environment: meta.environment },
      },
      `diag-started:${meta.id}`,
    );
  }
  await publishStatus(deps, meta.id);
  await deps.flows.add({
    name: 'diag-run' satisfies keyof DiagRunJobs,
    queueName: DIAG_QUEUE,
    data: { runId: meta.id } satisfies DiagRunJobs['diag-run'],
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: diagJobIds.run(meta.id) },
    children: meta.checks.map((check) => ({
      name: check,
      queueName: DIAG_CHECK_QUEUE,
      data: { runId: meta.id, check } satisfies DiagCheckJobs[typeof check],
      // A check that fails for good must not hold up the verdict: the parent marks it "did not report".
      opts: {
        ...DEFAULT_JOB_OPTIONS,
        attempts: 2,
        jobId: diagJobIds.check(meta.id, check),
        ignoreDependencyOnFailure: true,
      },
    })),
  });
  return meta.id;
}

/** One check of a run: mark it running, run it within its deadline, record and show the finding. */
export function diagCheckProcessor(deps: DiagJobDeps) {
  const route = (data: DiagCheckJobData) => checkOnce(deps, data);
  return routeJobs<DiagCheckJobs>(DIAG_CHECK_QUEUE, {
    'vpc-connector': route,
    'cloud-sql': route,
    'cloud-run': route,
    logs: route,
    network: route,
    firewall: route,
    iam: route,
    health: route,
    database: route,
  });
}

async function checkOnce(deps: DiagJobDeps, { runId, check }: DiagCheckJobData): Promise<string> {
  const loaded = await deps.store.get(runId);
  if (!loaded) return 'unknown-run';
  const { run } = loaded;
  // A retry after the finding was recorded (the worker died while posting) only re-publishes.
  let finding = run.findings[check];
  if (!finding) {
    await deps.store.setState(runId, check, 'running');
    await publishStatus(deps, runId, 'progress');
    finding = await runCheck(deps, run.environment, check);
    await deps.store.setFinding(finding, runId);
  }
  await recordFinding(deps, run, finding);
  // The check that completes the set decides the verdict at once; the parent job is the backstop.
  const finished = await finalizeRun(deps, runId, { force: false });
  await publishStatus(deps, runId, 'progress');
  if (finding.status !== 'ok' && finding.status !== 'skipped') {
    await deps.outbox.put(run.channelId, diagMessageKeys.detail(runId, check), renderFindingDetail(finding), {
      threadKey: diagMessageKeys.status(runId),
    });
  }
  if (finished) await deps.store.releaseActive(run.channelId, run.environment, runId);
  return finding.status;
}

/** Runs after every check has reported (or failed for good): the verdict, and the run is done. */
export function diagRunProcessor(deps: DiagJobDeps) {
  return routeJobs<DiagRunJobs>(DIAG_QUEUE, { 'diag-run': (data) => decideRun(deps, data.runId) });
}

async function decideRun(deps: DiagJobDeps, runId: string): Promise<string> {
  const loaded = await deps.store.get(runId);
  if (!loaded) return 'unknown-run';
  const { run } = loaded;
  await finalizeRun(deps, run.id, { force: true });
  await publishStatus(deps, run.id);
  await deps.store.releaseActive(run.channelId, run.environment, run.id);
  return (await deps.store.get(run.id))?.run.verdict?.code ?? 'inconclusive';
}
