#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { configSecretValues } from './config/config-secrets';
import { formatProblems, loadConfig } from './config/load-config';
import { readEnv } from './config/read-env';
import { requireSlack } from './config/require-slack';
import { secretValues } from './config/secret-values';
import { createLogger } from './log/logger';
import { type Role, type RunningWarroom, startWarroom } from './warroom';
import { isToWorker, WORKER_INDEX_VARIABLE } from './wiring/worker-messages';
import { WorkerProcesses } from './wiring/worker-processes';

const USAGE = 'Usage: warroom [--role app|worker|all]';
/** Within the orchestrator's usual 10 s grace period, with room for the hard stop below. */
const WORKERS_STOP_MS = 8500;
/** Exit code for a configuration the bot cannot start with (distinct from a crash). */
const EXIT_CONFIG = 2;

async function main(argv: string[]): Promise<void> {
  const role = parseRole(argv);
  const envResult = readEnv(process.env);
  if (!envResult.ok) return fail(formatProblems(envResult.problems, 'environment'));
  const env = envResult.env;
  // A worker only posts to Slack: it needs the bot token, not the app token or signing secret.
  const missing = requireSlack(env).filter((p) => role !== 'worker' || p.path === 'SLACK_BOT_TOKEN');
  const configResult = await loadConfig(env.configPath);
  const report = [
    ...(missing.length > 0 ? [formatProblems(missing, 'environment')] : []),
    ...(configResult.ok ? [] : [formatProblems(configResult.problems, env.configPath)]),
  ];
  if (report.length > 0 || !configResult.ok) return fail(report.join('\n'));

  // A worker process `--role all` started: it serves no HTTP, answers its parent, stops when the parent goes.
  const workerIndex = process.send ? env.variables[WORKER_INDEX_VARIABLE] : undefined;
  const baseLog = createLogger({
    level: env.logLevel,
    secrets: [...secretValues(env), ...configSecretValues(configResult.config, env.variables)],
    name: 'warroom',
  });
  const log = workerIndex ? baseLog.child({ worker: Number(workerIndex) }) : baseLog;
  // `--role all` is the Slack app here and its workers in processes of their own, at a lower priority.
  const workers =
    role === 'all' && !workerIndex && env.workerProcesses > 0
      ? new WorkerProcesses({ count: env.workerProcesses, modulePath: __filename, env: process.env, log })
      : undefined;
  workers?.start();
  let warroom: RunningWarroom;
  try {
    warroom = await startWarroom({
      env,
      config: configResult.config,
      role: workers ? 'app' : role,
      log,
      ...(workerIndex ? { serveHttp: false } : {}),
      ...(workers ? { readiness: [workers.readiness] } : {}),
    });
  } catch (error) {
    await workers?.stop(WORKERS_STOP_MS);
    throw error;
  }
  if (workers) warroom.metrics.includeFrom(() => workers.metrics());
  if (workerIndex) answerParent(warroom, () => shutdown('parent exited'));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // A hard stop if something refuses to close: the orchestrator's grace period is usually 10 s.
    setTimeout(() => process.exit(1), 9500).unref();
    Promise.all([warroom.stop(), workers?.stop(WORKERS_STOP_MS)]).then(
      () => process.exit(0),
      (error: Error) => {
        log.error({ reason: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // A rejection nobody handled is a bug: log it and exit, as Node would. While stopping, a client
  // whose connection was just closed may still reject; that is the end of it, not a failure.
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (stopping) {
      log.warn({ reason: message }, 'ignored a rejection while stopping');
      return;
    }
    log.fatal({ reason: message }, 'unhandled rejection');
    process.exit(1);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Ctrl-C reaches the whole process group; a worker process waits for its parent's SIGTERM instead.
  process.on('SIGINT', () => (workerIndex ? undefined : shutdown('SIGINT')));
}

/** A worker process's side of the IPC channel: ready once started, metrics on request, stop when the parent goes. */
function answerParent(warroom: RunningWarroom, onParentGone: () => void): void {
  process.on('message', (message) => {
    if (!isToWorker(message)) return;
    warroom.metrics.snapshot().then(
      (metrics) => process.send?.({ type: 'metrics', id: message.id, metrics }),
      () => process.send?.({ type: 'metrics', id: message.id, metrics: [] }),
    );
  });
  process.on('disconnect', onParentGone);
  process.send?.({ type: 'ready' });
}

function parseRole(argv: string[]): Role {
  try {
    const { values } = parseArgs({ args: argv, options: { role: { type: 'string', default: 'all' } } });
    const role = values.role;
    if (role === 'app' || role === 'worker' || role === 'all') return role;
    return fail(`Unknown role "${role}". ${USAGE}`);
  } catch (error) {
    return fail(`${(error as Error).message}. ${USAGE}`);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(EXIT_CONFIG);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`Warroom could not start: ${error.message}\n`);
  process.exit(1);
});
