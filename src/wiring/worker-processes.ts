import { type ChildProcess, fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import type { ReadinessCheck } from '../http/health-routes';
import type { Logger } from '../log/logger';
import type { MetricsSnapshot } from '../metrics/warroom-metrics';
import { isFromWorker, type ToWorker, WORKER_INDEX_VARIABLE } from './worker-messages';

export interface WorkerProcessesOptions {
  count: number;
  /** The entry point a worker runs (this process's own), with `--role worker`. */
  modulePath: string;
  /** The environment of this process: a worker reads the same variables. */
  env: NodeJS.ProcessEnv;
  log: Logger;
  /**
   * Added to this process's nice value for the workers (default 19, the lowest priority): they take
   * the CPU only when the Slack app and Redis leave it.
   */
  niceness?: number;
  /** The first restart's delay; it doubles up to `maxRestartDelayMs` while a worker keeps exiting. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

/**
 * A worker's V8 heap: a small young generation and the heap sizing of V8's low-memory mode. Live
 * data under a burst of 100 diagnoses is ~50 MB; with V8's defaults the heap still grows past
 * 200 MB before it collects (the bench's burst section measures both).
 */
const WORKER_V8_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'];

/** A worker that ran this long before exiting starts again from the first delay. */
const STEADY_MS = 60_000;
const METRICS_TIMEOUT_MS = 1000;

interface Slot {
  index: number;
  child?: ChildProcess;
  ready: boolean;
  startedAt: number;
  failures: number;
  restart?: NodeJS.Timeout;
  lastExit?: string;
}

/**
 * The worker processes `--role all` runs beside the Slack app. Job work (diagnostics, Google Cloud
 * calls, Slack posts) happens there, at a lower OS priority, so a burst of it never delays the
 * acknowledgement of a slash command in this process. A worker that exits is started again, after a
 * delay that grows while it keeps exiting; a worker whose parent goes away stops (the IPC channel
 * closes). Jobs a worker held when it died are taken over by BullMQ's stalled-job check.
 */
export class WorkerProcesses {
  private readonly slots: Slot[];
  private stopping = false;
  private nextRequest = 0;
  private readonly pending = new Map<number, (metrics: MetricsSnapshot) => void>();

  constructor(private readonly options: WorkerProcessesOptions) {
    this.slots = Array.from({ length: options.count }, (_, index) => ({
      index: index + 1,
      ready: false,
      startedAt: 0,
      failures: 0,
    }));
  }

  start(): void {
    for (const slot of this.slots) this.spawn(slot);
  }

  /**
   * `/readyz`: not ready while every worker process has exited and waits to be started again (jobs
   * queue, nobody runs them). While they start for the first time the app is ready: it can take
   * commands, and what they queue runs once a worker is up.
   */
  readonly readiness: ReadinessCheck = {
    name: 'workers',
    check: async () => {
      const exits = this.slots.map((slot) => (slot.ready ? undefined : slot.lastExit));
      if (exits.some((exit) => exit === undefined)) return { ready: true };
      return {
        ready: false,
        reason: `no worker process runs (${exits.join('; ')}); they are being restarted, and their logs say why they exited`,
      };
    },
  };

  /** Each running worker's metrics; a worker that does not answer within a second is left out. */
  async metrics(): Promise<MetricsSnapshot[]> {
    const running = this.slots.filter((slot) => slot.ready && slot.child?.connected);
    const answers = await Promise.all(running.map((slot) => this.ask(slot.child as ChildProcess)));
    return answers.filter((metrics): metrics is MetricsSnapshot => metrics !== undefined);
  }

  /**
   * Asks every worker to stop (SIGTERM: it finishes or hands back its jobs) and waits until each has
   * exited; one still running at `deadlineMs` is killed.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const exits = this.slots.map((slot) => {
      clearTimeout(slot.restart);
      const child = slot.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
      return exited.finally(() => clearTimeout(kill));
    });
    await Promise.all(exits);
  }

  private spawn(slot: Slot): void {
    const { log } = this.options;
    const child = fork(this.options.modulePath, ['--role', 'worker'], {
      env: { ...this.options.env, [WORKER_INDEX_VARIABLE]: String(slot.index) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...WORKER_V8_FLAGS],
    });
    slot.child = child;
    slot.ready = false;
    slot.startedAt = Date.now();
    if (child.pid !== undefined) lowerPriority(child.pid, this.options.niceness ?? 19, log);
    child.on('message', (message) => {
      if (!isFromWorker(message)) return;
      if (message.type === 'ready') {
        slot.ready = true;
        log.info({ worker: slot.index, pid: child.pid }, 'worker process ready');
        return;
      }
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.metrics);
    });
    // `error` is a failed spawn or a failed send; `exit` follows a failed spawn, and restarts it.
    child.on('error', (error) =>
      log.error({ worker: slot.index, reason: error.message }, 'worker process error'),
    );
    child.once('exit', (code, signal) => {
      slot.ready = false;
      slot.lastExit = signal
        ? `worker ${slot.index} was killed by ${signal}`
        : `worker ${slot.index} exited ${code}`;
      if (this.stopping) return;
      slot.failures = Date.now() - slot.startedAt >= STEADY_MS ? 1 : slot.failures + 1;
      const first = this.options.restartDelayMs ?? 1000;
      const delayMs = Math.min(this.options.maxRestartDelayMs ?? 30_000, first * 2 ** (slot.failures - 1));
      log.error(
        { worker: slot.index, code, signal, restartInMs: delayMs },
        'worker process exited; restarting it',
      );
      slot.restart = setTimeout(() => this.spawn(slot), delayMs);
    });
  }

  private ask(child: ChildProcess): Promise<MetricsSnapshot | undefined> {
    const id = ++this.nextRequest;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, METRICS_TIMEOUT_MS);
      this.pending.set(id, (metrics) => {
        clearTimeout(timer);
        resolve(metrics);
      });
      const request: ToWorker = { type: 'metrics', id };
      child.send(request, (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(undefined);
      });
    });
  }
}

/** Lowers a worker's priority; where the OS refuses, the worker runs at ours, and the log says so. */
function lowerPriority(pid: number, niceness: number, log: Logger): void {
  try {
    setPriority(pid, Math.min(19, getPriority() + niceness));
  } catch (error) {
    log.warn({ pid, reason: (error as Error).message }, 'could not lower the priority of a worker process');
  }
}
