#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { configSecretValues } from '../config/config-secrets';
import { formatProblems, loadConfig } from '../config/load-config';
import { readEnv } from '../config/read-env';
import { secretValues } from '../config/secret-values';
import { OffsetClock } from '../incident/clock';
import { createLogger } from '../log/logger';
import { packageRoot } from '../package-root';
import { KeyPrefix } from '../queue/key-prefix';
import { createRedisConnection } from '../queue/redis-connection';
import { CloudSimulator } from '../simulator/cloud-simulator';
import { startWarroom } from '../warroom';
import { deleteKeysMatching, deleteMatching, ensureShellRedis } from './local-redis';
import { SHELL_HELP, ShellSession } from './shell-session';
import { simulatedConfig } from './simulated-config';
import { TerminalChatSink } from './terminal-chat-sink';
import { shellVariables, TerminalPagerDutyEvents } from './terminal-pagerduty';
import { TerminalWorkspace } from './terminal-workspace';

const USAGE = 'Usage: npm run shell [-- [--simulate SCENARIO] [--script FILE]]';
const EXAMPLE_CONFIG = join(packageRoot(), 'warroom.example.yml');

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { script: { type: 'string' }, simulate: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return print(`${USAGE}\n${SHELL_HELP}`, 0);
  const envResult = readEnv({ LOG_LEVEL: 'warn', ...process.env, PORT: '0' });
  if (!envResult.ok) return print(formatProblems(envResult.problems, 'environment'), 2);
  const env = envResult.env;

  // A first run has no warroom.yml yet: the example models a staging environment to try things on.
  const configPath =
    process.env.WARROOM_CONFIG || existsSync(env.configPath) ? env.configPath : EXAMPLE_CONFIG;
  const loaded = await loadConfig(configPath);
  if (!loaded.ok) return print(formatProblems(loaded.problems, configPath), 2);

  // With --simulate, Google Cloud is the simulator on loopback, playing the scenario.
  const simulator = values.simulate ? await startSimulator(values.simulate) : undefined;
  const configured = simulator
    ? simulatedConfig(
        loaded.config,
        { baseUrl: `http://${simulator.emulatorHost}`, scenario: simulator.current },
        process.env,
      )
    : loaded.config;
  // A key prefix of its own: a shell pointed at a bot's Redis must not take that bot's jobs.
  const prefix = `${configured.queue.prefix}-shell-${randomBytes(4).toString('hex')}`;
  const config = { ...configured, queue: { ...configured.queue, prefix } };
  // One node that does not answer gets a redis-server of the shell's own; a cluster or sentinels are used as they are.
  const redis =
    env.redis.mode === 'single'
      ? await ensureShellRedis(env.redis.url)
      : { url: env.redis.mode, owned: false, stop: async () => {} };
  const clock = new OffsetClock();
  const write = (text: string) => process.stdout.write(text);
  // Logs go to stderr so the conversation on stdout stays readable.
  const log = createLogger({
    level: env.logLevel,
    secrets: [...secretValues(env), ...configSecretValues(config, env.variables)],
    destination: process.stderr,
  });
  const warroom = await startWarroom({
    env: {
      ...env,
      redis: env.redis.mode === 'single' ? { mode: 'single', url: redis.url } : env.redis,
      ...(simulator ? { gcpEmulator: { host: simulator.host, port: simulator.port } } : {}),
      variables: shellVariables(config, env.variables),
    },
    config,
    role: 'all',
    log,
    sink: new TerminalChatSink(write),
    workspace: new TerminalWorkspace(write),
    pagerDutyEvents: new TerminalPagerDutyEvents(write),
    clock,
    withSlack: false,
  });
  const session = new ShellSession({ warroom, write, clock });
  write(
    `Warroom shell — config ${configPath === EXAMPLE_CONFIG ? 'warroom.example.yml (no ./warroom.yml)' : configPath}, Redis ${redis.owned ? `started for this shell at ${redis.url}` : redis.url}${simulator ? `, Google Cloud simulated: scenario ${values.simulate}` : ''}\n`,
  );
  try {
    if (values.script) {
      const ok = await runScript(values.script, session, write);
      return ok ? 0 : 1;
    }
    await repl(session, write);
    return 0;
  } finally {
    await warroom.stop();
    const pattern = KeyPrefix.of(prefix).pattern;
    if (env.redis.mode === 'single') await deleteKeysMatching(redis.url, pattern);
    else {
      const client = createRedisConnection(env.redis, 'producer', log, { reportAvailability: false });
      await deleteMatching(client, pattern);
      client.disconnect();
    }
    await redis.stop();
    await simulator?.close();
  }
}

async function runScript(path: string, session: ShellSession, write: (t: string) => void): Promise<boolean> {
  if (!existsSync(path)) {
    write(`No script at ${path}. ${USAGE}\n`);
    return false;
  }
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    write(`> ${line}\n`);
    if (!(await session.handleLine(line))) break;
    await session.waitUntilIdle();
  }
  return session.waitUntilIdle();
}

async function repl(session: ShellSession, write: (t: string) => void): Promise<void> {
  write(`${SHELL_HELP}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'warroom> ' });
  rl.prompt();
  for await (const line of rl) {
    if (!(await session.handleLine(line))) break;
    rl.prompt();
  }
  rl.close();
  // Input piped in ends before its jobs do: show their output before leaving.
  await session.waitUntilIdle();
}

async function startSimulator(scenario: string): Promise<CloudSimulator> {
  try {
    return await CloudSimulator.start({ scenario });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
}

function print(text: string, code: number): number {
  (code === 0 ? process.stdout : process.stderr).write(`${text}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
