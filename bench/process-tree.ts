/**
 * The memory of everything a command started: a process and all its descendants, from /proc
 * (Linux). `npm start` may run one process or spawn workers beside it; the tree covers both.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** `pid` and every live descendant of it, parents before children. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...childrenOf(tree[i] as number));
  return tree;
}

/** The children each thread of `pid` started: /proc/<pid>/task/<tid>/children (Linux 4.2+). */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // Gone meanwhile: no children left to count.
  }
  return tasks.flatMap((tid) => {
    const path = `/proc/${pid}/task/${tid}/children`;
    try {
      return readFileSync(path, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      // A thread that ended meanwhile has none; a kernel without the file would undercount silently.
      if (existsSync(`/proc/${pid}/task/${tid}`) && !existsSync(path))
        throw new Error(`${path} is missing: this kernel lacks CONFIG_PROC_CHILDREN`);
      return [];
    }
  });
}

/** True while `pid` exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  // /proc/<pid>/stat from the state on: the name before it, in brackets, may hold spaces.
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return stat !== '' && state !== 'Z';
}

/** What a process runs, short: the script's file name and its arguments (`main.js --role worker`). */
function commandOf(pid: number): string {
  const argv = readOrEmpty(`/proc/${pid}/cmdline`)
    .split('\0')
    .filter((arg) => arg !== '');
  const script = argv.findIndex((arg, i) => i > 0 && !arg.startsWith('-'));
  if (script < 0) return basename(argv[0] ?? String(pid));
  return [basename(argv[script] as string), ...argv.slice(script + 1)].join(' ');
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A process's resident memory (smaps_rollup), in MB: all of it, the pages only it maps, and the
 * pages it shares with others (the node binary's code, shared libraries). 0 for a process that has
 * exited or is a zombie.
 */
function residentMb(pid: number): { rssMb: number; privateMb: number; sharedMb: number } {
  const rollup = readOrEmpty(`/proc/${pid}/smaps_rollup`);
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  return {
    rssMb: kb('Rss') / 1024,
    privateMb: (kb('Private_Clean') + kb('Private_Dirty')) / 1024,
    sharedMb: (kb('Shared_Clean') + kb('Shared_Dirty')) / 1024,
  };
}

export interface TreeRss {
  /** The highest sum of the tree's resident memory at one sample, in MB: shared pages in each process. */
  peakTotalMb: number;
  /**
   * The highest memory the tree holds at one sample, shared pages counted once: each process's
   * private pages plus the largest shared set (they share one node binary), in MB.
   */
  peakUniqueMb: number;
  /** Each process seen in the tree, with the highest resident memory it had, in MB. */
  processes: Array<{ pid: number; command: string; peakMb: number }>;
  samples: number;
}

/** Samples the resident memory of a process tree every `everyMs` until `stop`. */
export class TreeRssSampler {
  private peakTotalMb = 0;
  private peakUniqueMb = 0;
  private samples = 0;
  private readonly seen = new Map<number, { command: string; peakMb: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    everyMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): TreeRss {
    clearInterval(this.timer);
    this.sample();
    const processes = [...this.seen].map(([pid, seen]) => ({ pid, ...seen }));
    return {
      peakTotalMb: this.peakTotalMb,
      peakUniqueMb: this.peakUniqueMb,
      processes,
      samples: this.samples,
    };
  }

  private sample(): void {
    let total = 0;
    let privateTotal = 0;
    let sharedMost = 0;
    for (const pid of processTree(this.rootPid)) {
      const { rssMb, privateMb, sharedMb } = residentMb(pid);
      total += rssMb;
      privateTotal += privateMb;
      sharedMost = Math.max(sharedMost, sharedMb);
      const seen = this.seen.get(pid) ?? { command: commandOf(pid), peakMb: 0 };
      this.seen.set(pid, { ...seen, peakMb: Math.max(seen.peakMb, rssMb) });
    }
    this.peakTotalMb = Math.max(this.peakTotalMb, total);
    this.peakUniqueMb = Math.max(this.peakUniqueMb, privateTotal + sharedMost);
    this.samples++;
  }
}
