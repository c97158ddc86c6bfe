import { WarroomProcess } from './warroom-process';

/** One bot process of a {@link Replicas} set: the process and where it listens. */
export interface Replica {
  process: WarroomProcess;
  baseUrl: string;
}

/**
 * Several Warroom processes with the same environment (so the same Redis and queue prefix), each
 * in the role `all`, as a deployment scaled to more than one replica runs them. `stop()` kills
 * every one still running; call it in `finally`.
 */
export class Replicas {
  private constructor(readonly all: readonly Replica[]) {}

  /** Spawns `count` replicas from the TypeScript source and resolves once every one has started. */
  static async start(env: Record<string, string>, count = 2): Promise<Replicas> {
    const processes = Array.from({ length: count }, () =>
      WarroomProcess.spawn(env, ['--role', 'all'], { entry: 'source' }),
    );
    try {
      const ports = await Promise.all(processes.map((p) => p.started(30_000)));
      return new Replicas(
        processes.map((process, i) => ({ process, baseUrl: `http://127.0.0.1:${ports[i]}` })),
      );
    } catch (error) {
      for (const p of processes) p.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited()));
      throw error;
    }
  }

  at(index: number): Replica {
    const replica = this.all[index];
    if (!replica) throw new Error(`no replica ${index}; there are ${this.all.length}`);
    return replica;
  }

  /** Kills `replica` with SIGKILL, as the kernel's OOM killer or a lost node would, and waits for it to go. */
  async crash(replica: Replica): Promise<void> {
    replica.process.kill('SIGKILL');
    await replica.process.exited();
  }

  /** Kills every replica still running (SIGKILL: nothing they would do on the way out is under test). */
  async stop(): Promise<void> {
    for (const { process } of this.all) process.kill('SIGKILL');
    await Promise.all(this.all.map(({ process }) => process.exited()));
  }
}
