import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_URL } from './test-config';
import { BOT_TOKEN, SIGNING_SECRET } from './test-warroom';

const ROOT = join(__dirname, '..', '..');
/** The Node flags `npm start` runs the bot with (package.json's start script), so tests and the bench run it as users do. */
const START_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((arg) => arg.startsWith('--'));
/** `dist`: the compiled build, as deployed (the bench). `source`: the TypeScript through tsx (tests need no build). */
export type Entry = 'dist' | 'source';
const ENTRIES: Record<Entry, (script: 'main' | 'shell/main') => string[]> = {
  dist: (script) => [...(script === 'main' ? START_FLAGS : []), join(ROOT, 'dist', 'src', `${script}.js`)],
  source: (script) => ['--import', 'tsx', join(ROOT, 'src', `${script}.ts`)],
};

/**
 * The environment of a bot process in HTTP mode against the loopback Slack at `slackUrl`: the test
 * tokens, an OS-chosen port, info logs, and Google Cloud calls sent to `emulatorHost` when given.
 */
export function botProcessEnv(options: {
  slackUrl: string;
  configPath: string;
  emulatorHost?: string;
  redisUrl?: string;
}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackUrl,
    REDIS_URL: options.redisUrl ?? REDIS_URL,
    WARROOM_CONFIG: options.configPath,
    ...(options.emulatorHost ? { GCP_EMULATOR_HOST: options.emulatorHost } : {}),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
}

/** The real bot as a child process, with its output captured. */
export class WarroomProcess {
  output = '';
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static spawn(
    env: Record<string, string>,
    args: string[] = [],
    options: { entry?: Entry; script?: 'main' | 'shell/main' } = {},
  ): WarroomProcess {
    const entry = ENTRIES[options.entry ?? 'dist'](options.script ?? 'main');
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WarroomProcess(child);
  }

  /** Resolves with the port once the process logs that it started. */
  async started(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.output.split('\n').find((l) => l.includes('"msg":"Warroom started"'));
      if (line) return (JSON.parse(line) as { port: number }).port;
      if (this.child.exitCode !== null)
        throw new Error(`exited with ${this.child.exitCode}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`did not start within ${timeoutMs} ms:\n${this.output}`);
  }

  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exit as Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }
}
