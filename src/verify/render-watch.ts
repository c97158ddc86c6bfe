import type { KnownBlock } from '@slack/types';
import { context, escapeText, section, truncate } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { outsideText } from '../diag/render-diag';
import { scrubCredentials } from '../log/scrub-credentials';
import type { Watch, WatchTick } from './redis-watch-store';

const MARK = { pass: ':large_green_square:', fail: ':large_red_square:', pending: ':white_square:' };

/** The compact row: one square per verification made, then one per verification still to come. */
export function watchRow(watch: Watch, ticks: readonly WatchTick[]): string {
  const done = ticks.map((t) => (t.passed ? MARK.pass : MARK.fail));
  const left = watch.state === 'watching' ? Math.max(0, watch.totalTicks - ticks.length) : 0;
  // Slack shows long rows poorly; past 60 squares the oldest are summarised.
  const shown = done.length > 60 ? [`(${done.length - 60} earlier) `, ...done.slice(-60)] : done;
  return `${shown.join('')}${MARK.pending.repeat(Math.min(left, 60))}`;
}

/** The failures of a watch with their times, for its verdict. */
export function failureLines(ticks: readonly WatchTick[]): string[] {
  return ticks
    .filter((t) => !t.passed)
    .map((t) => `${slackDate(t.at, '{time_secs}')} ${outsideText(t.failing.join('; ') || 'failed')}`);
}

/** The verdict of a finished watch, in words (plain text, for the timeline and the recap). */
export function watchVerdict(
  watch: Watch,
  ticks: readonly WatchTick[],
): { passed: boolean; outcome: string } {
  const failed = ticks.filter((t) => !t.passed);
  const span = formatDuration(watch.durationMs);
  if (ticks.length === 0) return { passed: false, outcome: `no verification ran in ${span}` };
  if (failed.length === 0) {
    return {
      passed: true,
      outcome: `${span} of continuous operation without errors: ${ticks.length}/${ticks.length} verifications passed (every ${formatDuration(watch.everyMs)})`,
    };
  }
  const first = failed[0];
  return {
    passed: false,
    outcome: `${failed.length} of ${ticks.length} verifications failed in ${span}; first at ${first?.at.slice(11, 19)} UTC: ${first?.failing.join('; ') ?? 'failed'}`,
  };
}

/** The one message of a watch: its row of results, the latest failure, and in the end its verdict. */
export function renderWatch(watch: Watch, ticks: readonly WatchTick[], coverage?: string): ChatMessage {
  const env = escapeText(watch.environment);
  const span = formatDuration(watch.durationMs);
  const every = formatDuration(watch.everyMs);
  const head =
    watch.state === 'watching'
      ? `:eyes: Watching *${env}* for ${span}, verifying every ${every} (${ticks.length}/${watch.totalTicks} done; ends ${slackDate(watch.endsAt)})`
      : watch.state === 'passed'
        ? `:white_check_mark: *${env}*: ${outsideText(watch.outcome ?? 'passed')}`
        : watch.state === 'failed'
          ? `:x: *${env}* watch failed: ${outsideText(watch.outcome ?? 'failed')}`
          : `:stop_button: Watch of *${env}* ${outsideText(watch.outcome ?? 'stopped')} after ${ticks.length} verification(s)`;
  const blocks: KnownBlock[] = [
    section(head),
    section(watchRow(watch, ticks) || '_first verification running…_'),
  ];
  const failures = failureLines(ticks);
  if (failures.length > 0) {
    const shown = failures.slice(-8);
    blocks.push(
      section(
        truncate(
          `*Failures*${failures.length > 8 ? ` (latest 8 of ${failures.length})` : ''}\n${shown.join('\n')}`,
          2900,
        ),
      ),
    );
  }
  const paged = watch.pagedAt ? ` · primary paged ${slackDate(watch.pagedAt, '{time_secs}')}` : '';
  blocks.push(
    context(
      `Started by <@${watch.requestedBy}> ${slackDate(watch.startedAt)}${paged} · watch ${watch.id}${coverage ? ` · ${escapeText(coverage)}` : ''}`,
    ),
  );
  const failedCount = ticks.filter((t) => !t.passed).length;
  const text =
    watch.state === 'watching'
      ? `Watching ${watch.environment}: ${ticks.length}/${watch.totalTicks} verifications, ${failedCount} failed`
      : `Watch of ${watch.environment} ${watch.state}: ${scrubCredentials(watch.outcome ?? '')}`;
  return { text: escapeText(truncate(text, 500)), blocks };
}
