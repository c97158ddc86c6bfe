import { readdirSync, readFileSync } from 'node:fs';
import { waitUntil } from './wait-for';
import { WarroomProcess } from './warroom-process';

/** One bot process of a {@link Replicas} set: the process and where it listens. */
export interface Replica {
  process: WarroomProcess;
  baseUrl: string;
}

/**
 * Several Warroom processes with the same environment (so the same Redis and queue prefix), each
 * in the role `all`, as a deployment scaled to more than one replica runs them. A replica is its
 * process and the worker processes it starts: `crash` and `stop` kill them all, as losing a
 * container or a node would. Call `stop()` in `finally`.
 */
export class Replicas {
  private constructor(readonly all: readonly Replica[]) {}

  /** Spawns `count` replicas from the TypeScript source and resolves once every one serves HTTP. */
  static async start(env: Record<string, string>, count = 2): Promise<Replicas> {
    const processes = Array.from({ length: count }, () =>
      WarroomProcess.spawn(env, ['--role', 'all'], { entry: 'source' }),
    );
    const replicas = new Replicas(processes.map((process) => ({ process, baseUrl: '' })));
    try {
      const ports = await Promise.all(processes.map((p) => httpPort(p, 30_000)));
      return new Replicas(
        processes.map((process, i) => ({ process, baseUrl: `http://127.0.0.1:${ports[i]}` })),
      );
    } catch (error) {
      await replicas.stop();
      throw error;
    }
  }

  at(index: number): Replica {
    const replica = this.all[index];
    if (!replica) throw new Error(`no replica ${index}; there are ${this.all.length}`);
    return replica;
  }

  /** Kills `replica` and its worker processes with SIGKILL, giving none a chance to finish anything. */
  async crash(replica: Replica): Promise<void> {
    const pid = replica.process.child.pid;
    // Deepest first: a worker process whose parent has gone would otherwise start a clean stop.
    const tree = pid === undefined ? [] : processTree(pid).reverse();
    for (const member of tree) {
      try {
        process.kill(member, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await replica.process.exited();
    await waitUntil(() => tree.every((member) => !alive(member)), 10_000, `replica ${pid} to be gone`);
  }

  /** Kills every replica still running, with its worker processes (nothing they would do on the way out is under test). */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((replica) => this.crash(replica)));
  }
}

/** The port the process reports when it serves HTTP (a worker process it starts reports none). */
async function httpPort(bot: WarroomProcess, timeoutMs: number): Promise<number> {
  let port: number | undefined;
  const serving = () => {
    if (bot.child.exitCode !== null) throw new Error(`exited with ${bot.child.exitCode}:\n${bot.output}`);
    port = bot.output
      .split('\n')
      .filter((line) => line.includes('"msg":"Warroom started"'))
      .map(portOf)
      .find((p) => p !== undefined);
    return port !== undefined;
  };
  try {
    await waitUntil(serving, timeoutMs, 'a Warroom process to serve HTTP');
  } catch (error) {
    throw new Error(`${(error as Error).message}:\n${bot.output}`);
  }
  return port as number;
}

function portOf(line: string): number | undefined {
  try {
    const { port } = JSON.parse(line) as { port?: unknown };
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it (Linux: /proc/<pid>/task/<tid>/children). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    // Gone meanwhile: it has no children left to kill.
  }
  return [pid, ...children.flatMap(processTree)];
}

/** False once the process is gone or a zombie (dead, waiting for whoever inherited it to reap it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
