import { FlowProducer, type Worker } from 'bullmq';
import type { ChatSink } from '../chat/chat-sink';
import { OutboxDrainer } from '../chat/outbox-drainer';
import { diagCheckProcessor, diagRunProcessor, diagStartProcessor } from '../diag/diag-jobs';
import { DIAG_CHECK_QUEUE, DIAG_QUEUE, DIAG_START_QUEUE } from '../diag/diag-queue';
import type { CloudGateway } from '../gcp/cloud-gateway';
import type { IncidentJobDeps } from '../incident/incident-deps';
import { incidentProcessor } from '../incident/incident-jobs';
import { INCIDENT_QUEUE } from '../incident/incident-queue';
import { closeWorkers, createWorker, type JobObserver } from '../queue/queues';
import { abandonWhenBullmqGivesUp } from '../remediation/abandon-when-bullmq-gives-up';
import type { RemediationTiming } from '../remediation/remediation-job-deps';
import { remediationProcessor } from '../remediation/remediation-jobs';
import { REMEDIATION_QUEUE } from '../remediation/remediation-queue';
import { PeopleDirectory, slackNamesOf } from '../slack/people-directory';
import type { SlackWorkspace } from '../slack/slack-workspace';
import { verifyProcessor } from '../verify/verify-jobs';
import { VERIFY_QUEUE } from '../verify/verify-queue';
import { incidentCore, type SideOptions } from './side-options';

export interface WorkerSideOptions extends SideOptions {
  gateway: CloudGateway;
  workspace: SlackWorkspace;
  sink: ChatSink;
  links?: IncidentJobDeps['links'];
  observer: JobObserver;
  /** The variables the config names (DSNs, `${env:…}` of verify steps). */
  variables: Readonly<Record<string, string | undefined>>;
  checkDeadlineMs: number;
  remediationTiming: RemediationTiming;
  healthThresholdMs?: number;
}

export interface WorkerSide {
  /** Stops taking jobs, waits for the running ones until `deadlineMs`, then hands them back. */
  stop(deadlineMs: number): Promise<'drained' | 'handed-back'>;
}

/** A worker per queue, and the outbox drainer that posts what jobs write. */
export function buildWorkers(options: WorkerSideOptions): WorkerSide {
  const { config, log, redis, prefix, stores, queues, clock, gateway } = options;
  const workerOptions = {
    connection: redis,
    prefix,
    concurrency: config.queue.concurrency,
    log,
    observer: options.observer,
  };
  const people = new PeopleDirectory({ redis, prefix, slack: slackNamesOf(options.workspace) });
  const flows = new FlowProducer({ connection: redis, prefix: prefix.tag });
  flows.on('error', () => {}); // reported by the connection; the job fails and is retried
  const diagDeps = {
    store: stores.diagRuns,
    flows,
    outbox: stores.outbox,
    gateway,
    config,
    log,
    env: options.variables,
    checkDeadlineMs: options.checkDeadlineMs,
    incidents: stores.incidents,
  };
  const remediationDeps = {
    clock,
    config,
    outbox: stores.outbox,
    incidents: stores.incidents,
    gateway,
    store: stores.remediations,
    log: log.child({ component: 'remediation' }),
    timing: options.remediationTiming,
  };
  const remediationWorker = createWorker(
    REMEDIATION_QUEUE,
    remediationProcessor(remediationDeps),
    workerOptions,
  );
  abandonWhenBullmqGivesUp(remediationWorker, remediationDeps);
  const workers: Worker[] = [
    remediationWorker,
    createWorker(
      VERIFY_QUEUE,
      verifyProcessor({
        clock,
        config,
        outbox: stores.outbox,
        incidents: stores.incidents,
        gateway,
        queue: queues.verify,
        incidentQueue: queues.incident,
        watches: stores.watches,
        log: log.child({ component: 'verify' }),
        env: options.variables,
        ...(options.healthThresholdMs ? { healthThresholdMs: options.healthThresholdMs } : {}),
      }),
      workerOptions,
    ),
    createWorker(DIAG_START_QUEUE, diagStartProcessor(diagDeps), workerOptions),
    createWorker(DIAG_CHECK_QUEUE, diagCheckProcessor(diagDeps), workerOptions),
    createWorker(DIAG_QUEUE, diagRunProcessor(diagDeps), workerOptions),
    createWorker(
      INCIDENT_QUEUE,
      incidentProcessor({
        ...incidentCore(options, options.links),
        workspace: options.workspace,
        documents: gateway,
        names: (ids) => people.namesOf(ids),
      }),
      workerOptions,
    ),
  ];
  const drainer = new OutboxDrainer({
    redis,
    prefix,
    sink: options.sink,
    logger: log.child({ component: 'outbox' }),
  });
  drainer.start();
  return {
    async stop(deadlineMs) {
      const handed = await closeWorkers(workers, deadlineMs);
      await drainer.stop();
      // A connection that Redis already dropped makes a close reject; nothing is left to release then.
      await Promise.allSettled([flows.close()]);
      return handed;
    },
  };
}
