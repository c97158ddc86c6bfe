import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** `dist`: the compiled build, as deployed (the bench). `source`: the TypeScript through tsx (tests need no build). */
export type Entry = 'dist' | 'source';
const ENTRIES: Record<Entry, (script: 'main' | 'shell/main') => string[]> = {
  dist: (script) => [join(ROOT, 'dist', 'src', `${script}.js`)],
  source: (script) => ['--import', 'tsx', join(ROOT, 'src', `${script}.ts`)],
};

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
