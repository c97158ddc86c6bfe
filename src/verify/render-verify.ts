import type { KnownBlock } from '@slack/types';
import { context, escapeText, header, section, truncate } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { outsideText, STATE_EMOJI } from '../diag/render-diag';
import { scrubCredentials } from '../log/scrub-credentials';
import type { CriterionResult, VerifyResult } from './verify-result';

const CRITERION_EMOJI: Record<CriterionResult['status'], string> = {
  pass: STATE_EMOJI.ok,
  fail: STATE_EMOJI.fail,
  'not-checked': STATE_EMOJI.skipped,
};
/** Failing details shown per criterion; the rest are counted. */
const MAX_DETAILS = 8;

/** "staging meets every success criterion" / "staging fails 2 of 4 criteria" (checked ones only). */
function headline(result: VerifyResult): { emoji: string; words: string } {
  const checked = result.criteria.filter((c) => c.status !== 'not-checked');
  const failing = checked.filter((c) => c.status === 'fail');
  const env = result.environment;
  if (checked.length === 0)
    return { emoji: ':warning:', words: `${env}: no success criterion is configured` };
  if (failing.length > 0) {
    return { emoji: ':x:', words: `${env} fails ${failing.length} of ${checked.length} criteria` };
  }
  const all = checked.length === result.criteria.length;
  return {
    emoji: ':white_check_mark:',
    words: all
      ? `${env} meets every success criterion`
      : `${env} meets every success criterion checked (${checked.length} of ${result.criteria.length})`,
  };
}

function criterionLine(c: CriterionResult): string {
  const line = `${CRITERION_EMOJI[c.status]} *${c.criterion}* — ${outsideText(c.summary)}`;
  if (c.status !== 'fail' || c.details.length === 0) return line;
  const shown = c.details.slice(0, MAX_DETAILS).map((d) => `    • ${outsideText(d)}`);
  const more = c.details.length > MAX_DETAILS ? [`    • …and ${c.details.length - MAX_DETAILS} more`] : [];
  return [line, ...shown, ...more].join('\n');
}

/**
 * The result of `/incident verify <env>`: a headline, one line per criterion (details under the
 * failing ones), and when it ran. Pure.
 */
export function renderVerifyResult(
  result: VerifyResult,
  options: { requestedBy?: string } = {},
): ChatMessage {
  const { emoji, words } = headline(result);
  const took = Math.max(0, ...result.criteria.map((c) => c.durationMs));
  const by = options.requestedBy ? `Requested by <@${options.requestedBy}> · ` : '';
  const blocks: KnownBlock[] = [
    header(`${emoji} ${words}`),
    ...result.criteria.map((c) => section(criterionLine(c))),
    context(`${by}verified at ${slackDate(result.at)} · took ${formatDuration(took)}`),
  ];
  const text = [
    `${words}.`,
    ...result.criteria.map(
      (c) =>
        `${c.criterion}: ${c.status === 'not-checked' ? 'not checked' : c.status} — ${scrubCredentials(c.summary)}`,
    ),
  ].join('\n');
  return { text: escapeText(truncate(text, 3000)), blocks };
}

/** One square for a row of watch results: green when the verification passed, red when it did not. */
export function compactMark(result: VerifyResult): string {
  return result.passed ? ':large_green_square:' : ':large_red_square:';
}
