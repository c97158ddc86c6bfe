import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Runs `tasks` with at most `width` in flight. */
export async function inBatches<T>(
  count: number,
  width: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** One line of the table: a figure, its value, its target and whether the value meets it (`null`: no target). */
export interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}

export function row(figure: string, value: string, target: string, met: boolean | null): Row {
  return { figure, value, target, met };
}

/** What a section measured: its rows of the table, and its figures for results.json. */
export interface SectionResult {
  rows: Row[];
  results: Record<string, unknown>;
}

/** What the load client answers: per command, its ack latency, HTTP status and (when asked) reply body. */
export interface LoadResult {
  latencies: number[];
  statuses: number[];
  replies?: string[];
}

/**
 * Sends signed commands from a process of its own (load-client.ts, which documents `request`), so
 * the bench process's own load stays out of the latencies.
 */
export async function loadFromOwnProcess(request: object): Promise<LoadResult> {
  return (await armedLoad({ ...request, armed: false })).fire();
}

/**
 * Starts the load client with its commands signed and ready, and resolves once it is; `fire` sends
 * them at once and resolves with the result. A burst lands when the caller chooses, not a process
 * start later.
 */
export function armedLoad(request: object): Promise<{ fire(): Promise<LoadResult> }> {
  const armed = (request as { armed?: boolean }).armed !== false;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'load-client.ts'), JSON.stringify({ ...request, armed })],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult)
        : reject(new Error(`load client exited ${code}`)),
    );
  });
  const fire = () => {
    child.stdin.end('fire\n');
    return result;
  };
  if (!armed) {
    child.stdin.end();
    return Promise.resolve({ fire: () => result });
  }
  return new Promise((resolve, reject) => {
    const ready = () => {
      if (!out.startsWith('armed\n')) return;
      child.stdout.off('data', ready);
      resolve({ fire });
    };
    child.stdout.on('data', ready);
    result.catch(reject);
  });
}

export function printTable(rows: readonly Row[]): void {
  const widths = [
    Math.max(6, ...rows.map((r) => r.figure.length)),
    Math.max(5, ...rows.map((r) => r.value.length)),
    Math.max(6, ...rows.map((r) => r.target.length)),
  ];
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`${line(['figure', 'value', 'target'])} met |`);
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|-----|`);
  for (const r of rows)
    console.log(`${line([r.figure, r.value, r.target])} ${r.met === null ? ' – ' : r.met ? 'yes' : 'NO '} |`);
}

/** A line on stderr saying what the bench is doing, so a long run shows where it is (and where it stopped). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
