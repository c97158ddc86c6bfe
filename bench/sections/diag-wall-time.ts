/**
 * A diagnosis runs its checks in parallel: its wall time against its slowest check, with the
 * simulator taking 300–800 ms per Google call, and the Slack Web API calls one diagnosis makes.
 */
import { RedisDiagRunStore } from '../../src/diag/redis-diag-run-store';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { postSlashCommand } from '../../test/support/slack-signing';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import { waitUntil } from '../../test/support/wait-for';
import type { BenchRig } from '../bench-rig';
import { median, row, type SectionResult } from '../lib';

const CHECKS_PER_DIAG = 7;

export async function diagWallTime(rig: BenchRig): Promise<SectionResult> {
  const { simulator, slack, base } = rig;
  const store = new RedisDiagRunStore(rig.redis, KeyPrefix.of(rig.config.prefix));
  simulator.setScenario('slow');
  const ratios: number[] = [];
  const timings: Array<{ wallMs: number; slowestCheckMs: number; verdictRecordedMs: number }> = [];
  const callsPerDiag: number[] = [];
  for (let k = 0; k < 5; k++) {
    const channel = `CW${k}`;
    const before = slack.calls.length;
    const started = performance.now();
    const ack = await postSlashCommand(base, SIGNING_SECRET, {
      text: 'diag staging',
      channel_id: channel,
      trigger_id: `wall-${k}-${Date.now()}`,
    });
    const runId = /run (d[0-9a-f]+)/.exec(String((ack.json as { text?: string })?.text))?.[1] ?? '';
    await waitUntil(
      () => slack.messages(channel).some((m) => m.text.includes('verdict:')),
      60_000,
      'verdict',
    );
    const wall = performance.now() - started;
    const run = (await store.get(runId))?.run;
    const slowest = Math.max(...Object.values(run?.findings ?? {}).map((f) => f?.durationMs ?? 0));
    ratios.push(wall / slowest);
    const recorded = run?.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : Number.NaN;
    timings.push({ wallMs: Math.round(wall), slowestCheckMs: slowest, verdictRecordedMs: recorded });
    await new Promise((r) => setTimeout(r, 1500));
    callsPerDiag.push(slack.calls.slice(before).filter((c) => c.args.channel === channel).length);
  }
  const ratio = median(ratios);
  const rows = [
    row(
      'diag wall time / slowest check (median of 5)',
      `${ratio.toFixed(2)}× (max ${Math.max(...ratios).toFixed(2)}×)`,
      '≤ 1.3×',
      ratio <= 1.3,
    ),
    row(
      'Slack Web API calls per diag (max of 5)',
      String(Math.max(...callsPerDiag)),
      `≤ ${CHECKS_PER_DIAG + 4}`,
      Math.max(...callsPerDiag) <= CHECKS_PER_DIAG + 4,
    ),
  ];
  return { rows, results: { wallRatios: ratios, wallTimings: timings, callsPerDiag } };
}
