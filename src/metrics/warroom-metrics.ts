import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import type { JobFinished } from '../queue/queues';
import { constantLabel, googleOperationLabel, slackMethodLabel, subcommandLabel } from './labels';
import { type CountableQueue, countJobs } from './queue-counts';

/** One registry's metrics as prom-client's JSON: what a worker process sends its parent. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** How a Slack Web API request ended. */
export type SlackCallOutcome = 'ok' | 'rate_limited' | 'error';

export interface WarroomMetricsOptions {
  /** The registry's subcommand names: the only values the ack histogram's label may take. */
  subcommands: readonly string[];
  /** Bound on counting the queues' jobs during a scrape (default 1 s). */
  queueCountTimeoutMs?: number;
}

/**
 * Warroom's Prometheus metrics: one registry per instance (tests run several bots in one process),
 * with Node's process metrics and ours. Other modules call the narrow methods below through
 * interfaces of their own and never see prom-client; labels are normalised here, so no caller can
 * turn an id or typed text into a series.
 */
export class WarroomMetrics {
  readonly registry = new Registry();
  private readonly subcommands: ReadonlySet<string>;
  private queues: readonly CountableQueue[] = [];
  private others: (() => Promise<MetricsSnapshot[]>) | undefined;
  private readonly jobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  private readonly jobFailures: Counter<'queue' | 'name'>;
  private readonly slackCalls: Counter<'method' | 'outcome'>;
  private readonly slackRateLimited: Counter;
  private readonly googleDuration: Histogram<'operation' | 'outcome'>;
  private readonly googleErrors: Counter<'operation' | 'kind'>;
  private readonly ackDuration: Histogram<'subcommand'>;

  constructor(options: WarroomMetricsOptions) {
    this.subcommands = new Set(options.subcommands);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const queues = () => this.queues;
    const timeoutMs = options.queueCountTimeoutMs ?? 1000;
    new Gauge({
      name: 'warroom_queue_jobs',
      help: 'Jobs per BullMQ queue and state, counted at scrape time (absent for a queue Redis did not answer for in time).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { queue, counts } of await countJobs(queues(), timeoutMs)) {
          for (const [state, count] of Object.entries(counts))
            this.set({ queue: constantLabel(queue), state }, count);
        }
      },
    });
    this.jobDuration = new Histogram({
      name: 'warroom_job_duration_seconds',
      help: 'Time a worker spent on one attempt of a job, by how it ended.',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.jobFailures = new Counter({
      name: 'warroom_job_failures_total',
      help: 'Job attempts that failed (each retry counts).',
      labelNames: ['queue', 'name'],
      registers,
    });
    this.slackCalls = new Counter({
      name: 'warroom_slack_calls_total',
      help: 'Slack Web API requests made by the outbox, by method and outcome.',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.slackRateLimited = new Counter({
      name: 'warroom_slack_rate_limited_total',
      help: 'Slack Web API requests answered with 429 (rate limited).',
      registers,
    });
    this.googleDuration = new Histogram({
      name: 'warroom_google_call_duration_seconds',
      help: 'Google Cloud API calls, retries included, by method and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
      registers,
    });
    this.googleErrors = new Counter({
      name: 'warroom_google_call_errors_total',
      help: 'Google Cloud API calls that failed, by method and kind of failure.',
      labelNames: ['operation', 'kind'],
      registers,
    });
    this.ackDuration = new Histogram({
      name: 'warroom_command_ack_seconds',
      help: 'Time from receiving a slash command to acknowledging it (Slack allows 3 s).',
      labelNames: ['subcommand'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers,
    });
  }

  /** The queues whose jobs `warroom_queue_jobs` counts. */
  watchQueues(queues: readonly CountableQueue[]): void {
    this.queues = queues;
  }

  jobFinished(job: JobFinished): void {
    const labels = { queue: constantLabel(job.queue), name: constantLabel(job.name) };
    if (job.seconds !== undefined) this.jobDuration.observe({ ...labels, outcome: job.outcome }, job.seconds);
    if (job.outcome === 'failed') this.jobFailures.inc(labels);
  }

  slackCall(method: string, outcome: SlackCallOutcome): void {
    this.slackCalls.inc({ method: slackMethodLabel(method), outcome });
    if (outcome === 'rate_limited') this.slackRateLimited.inc();
  }

  /** `operation` may be the gateway's full description; only its method is kept. */
  googleCall(call: { operation: string; seconds: number; error?: string }): void {
    const operation = googleOperationLabel(call.operation);
    this.googleDuration.observe({ operation, outcome: call.error ? 'error' : 'ok' }, call.seconds);
    if (call.error) this.googleErrors.inc({ operation, kind: constantLabel(call.error) });
  }

  /** `firstWord` is the command's first word as typed; only a known subcommand name becomes a label. */
  ackTimed(firstWord: string | undefined, seconds: number): void {
    this.ackDuration.observe({ subcommand: subcommandLabel(firstWord, this.subcommands) }, seconds);
  }

  /**
   * Adds other processes' metrics to every scrape (the worker processes of `--role all`): counters
   * and histograms are summed with ours, process gauges such as resident memory too, so one scrape
   * shows everything the deployment runs.
   */
  includeFrom(others: () => Promise<MetricsSnapshot[]>): void {
    this.others = others;
  }

  /** This registry's metrics as JSON, for a parent process to include. */
  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON() as Promise<MetricsSnapshot>;
  }

  /** The exposition text, in Prometheus' text format (see `contentType`). */
  async render(): Promise<string> {
    if (!this.others) return this.registry.metrics();
    const [own, others] = await Promise.all([this.snapshot(), this.others()]);
    return AggregatorRegistry.aggregate([own, ...others]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
