/** Graceful shutdown of the bot the sections talked to: SIGTERM to exit, and its exit code. */
import type { BenchRig } from '../bench-rig';
import { row, type SectionResult } from '../lib';

export async function shutdown(rig: BenchRig): Promise<SectionResult> {
  const bot = rig.bot;
  if (!bot) throw new Error('no bot to shut down');
  const stopAt = performance.now();
  bot.kill('SIGTERM');
  const exit = await bot.exited();
  const stopMs = performance.now() - stopAt;
  rig.bot = undefined;
  const rows = [
    row(
      'SIGTERM to exit',
      `${stopMs.toFixed(0)} ms (code ${exit.code})`,
      '< 10000 ms, code 0',
      stopMs < 10_000 && exit.code === 0,
    ),
  ];
  return { rows, results: {} };
}
