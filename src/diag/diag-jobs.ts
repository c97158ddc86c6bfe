import type { FlowProducer, Job } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { Config } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';
import { BOT_ACTOR } from '../incident/incident';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Logger } from '../log/logger';
import { DEFAULT_JOB_OPTIONS } from '../queue/queues';
import { CHECKS } from './checks';
import { type DiagRun, type DiagRunMeta, diagMessageKeys } from './diag-run';
import type { CheckName, Finding } from './finding';
import type { RedisDiagRunStore } from './redis-diag-run-store';
import { renderDiagStatus, renderFindingDetail } from './render-diag';
import { decideVerdict, type Verdict } from './verdict';

export const DIAG_START_QUEUE = 'diag-start';
export const DIAG_QUEUE = 'diag';
export const DIAG_CHECK_QUEUE = 'diag-check';

export interface DiagStartJobData {
  meta: DiagRunMeta;
}
export interface DiagRunJobData {
  runId: string;
}
export interface DiagCheckJobData {
  runId: string;
  check: CheckName;
}

export interface DiagJobDeps {
  store: RedisDiagRunStore;
  /** Creates each run's flow of jobs. */
  flows: FlowProducer;
  /** Runs started in an incident channel are recorded on that incident's timeline. */
  incidents?: RedisIncidentStore;
  outbox: RedisOutbox;
  gateway: CloudGateway;
  config: Config;
  log: Logger;
  /** Process environment, for the database probe's DSN variable. */
  env: NodeJS.ProcessEnv;
  checkDeadlineMs: number;
}

/**
 * Records a run, posts its live message and adds its flow: a child job per check (in parallel, on
 * any worker) under a parent that decides the verdict once all have reported. Safe to repeat: the
 * record is kept if it exists, the message is rendered from the stored state, and BullMQ ignores
 * job ids it already has.
 */
export function diagStartProcessor(deps: DiagJobDeps) {
  return async (job: Job<DiagStartJobData>): Promise<string> => {
    const { meta } = job.data;
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
      name: 'diag-run',
      queueName: DIAG_QUEUE,
      data: { runId: meta.id } satisfies DiagRunJobData,
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: meta.id },
      children: meta.checks.map((check) => ({
        name: check,
        queueName: DIAG_CHECK_QUEUE,
        data: { runId: meta.id, check } satisfies DiagCheckJobData,
        // A check that fails for good must not hold up the verdict: the parent marks it "did not report".
        opts: {
          ...DEFAULT_JOB_OPTIONS,
          attempts: 2,
          jobId: `${meta.id}-${check}`,
          ignoreDependencyOnFailure: true,
        },
      })),
    });
    return meta.id;
  };
}

/** One check of a run: mark it running, run it within its deadline, record and show the finding. */
export function diagCheckProcessor(deps: DiagJobDeps) {
  return async (job: Job<DiagCheckJobData>): Promise<string> => {
    const { runId, check } = job.data;
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
      await deps.outbox.put(
        run.channelId,
        diagMessageKeys.detail(runId, check),
        renderFindingDetail(finding),
        {
          threadKey: diagMessageKeys.status(runId),
        },
      );
    }
    if (finished) await deps.store.releaseActive(run.channelId, run.environment, runId);
    return finding.status;
  };
}

/** Runs after every check has reported (or failed for good): the verdict, and the run is done. */
export function diagRunProcessor(deps: DiagJobDeps) {
  return async (job: Job<DiagRunJobData>): Promise<string> => {
    const loaded = await deps.store.get(job.data.runId);
    if (!loaded) return 'unknown-run';
    const { run } = loaded;
    await finalizeRun(deps, run.id, { force: true });
    await publishStatus(deps, run.id);
    await deps.store.releaseActive(run.channelId, run.environment, run.id);
    return (await deps.store.get(run.id))?.run.verdict?.code ?? 'inconclusive';
  };
}

/**
 * Decides and records the verdict once every check has a finding (or, with `force`, marks the
 * missing ones as not reported first). True when the run is finished.
 */
async function finalizeRun(deps: DiagJobDeps, runId: string, options: { force: boolean }): Promise<boolean> {
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
async function recordFinding(deps: DiagJobDeps, run: DiagRun, finding: Finding): Promise<void> {
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

async function runCheck(deps: DiagJobDeps, environmentName: string, name: CheckName): Promise<Finding> {
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

/**
 * Renders the live message from the stored run and hands it to the outbox. Checks finish
 * concurrently, so a render can be overtaken by a newer state; re-render until the state read is
 * still the latest after the put, and the message always ends on the newest state.
 */
export async function publishStatus(
  deps: Pick<DiagJobDeps, 'store' | 'outbox'>,
  runId: string,
  when: 'now' | 'progress' = 'now',
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const loaded = await deps.store.get(runId);
    if (!loaded) return;
    const { run } = loaded;
    if (when === 'progress' && !run.verdict && holdProgress(deps, run)) return;
    await deps.outbox.put(run.channelId, diagMessageKeys.status(runId), renderDiagStatus(run));
    if ((await deps.store.version(runId)) === loaded.version) return;
  }
}

/**
 * Slack allows one update of a message per second, so progress shown just after the first post
 * would make the verdict of a quick run wait for the next free second. Progress in a run's first
 * PROGRESS_QUIET_MS is held back and shown at the end of that window (or by the verdict, if that
 * comes first).
 */
export const PROGRESS_QUIET_MS = 2000;
const heldRuns = new Set<string>();

function holdProgress(deps: Pick<DiagJobDeps, 'store' | 'outbox'>, run: DiagRun): boolean {
  const wait = Date.parse(run.startedAt) + PROGRESS_QUIET_MS - Date.now();
  if (wait <= 0) return false;
  if (!heldRuns.has(run.id)) {
    heldRuns.add(run.id);
    setTimeout(() => {
      heldRuns.delete(run.id);
      publishStatus(deps, run.id).catch(() => {});
    }, wait).unref();
  }
  return true;
}

function didNotReport(check: CheckName, reason = 'the check did not report (its job failed)'): Finding {
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
