import { context, escapeText, escapeUserText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import type { Incident } from './incident';

// A status update is a few sentences; this keeps the quote and its heading inside one section.
const STATUS_MAX = 2500;
const RESOLUTION_MAX = 1000;

/**
 * `raw` through `encode` (mrkdwn escaping by default; pass `plain` for plain_text) in at most `max`
 * UTF-16 units, cut with "…" between code points, so neither an emoji nor an `&amp;` is split.
 * `encode` must never make text shorter (escaping does not): then text longer than `max` is known
 * not to fit without encoding it whole, and clipping costs time in proportion to `max`, not `raw`.
 */
export function clipText(raw: string, max: number, encode: (text: string) => string = escapeText): string {
  if (raw.length <= max) {
    const whole = encode(raw);
    if (whole.length <= max) return whole;
  }
  let kept = '';
  let length = 0;
  for (const point of raw) {
    // Escaping whole text never makes it longer than escaping its characters one by one.
    const size = encode(point).length;
    if (length + size > max - 1) break;
    kept += point;
    length += size;
  }
  return `${encode(kept)}…`;
}

/** No escaping: for plain_text fields such as a header, which Slack does not parse. */
export const plain = (text: string) => text;

/**
 * What a person typed, as a mrkdwn block quote (Slack quotes line by line) of about `max`
 * characters: escaped, with user and channel mentions kept working.
 */
export function quoteText(raw: string, max = STATUS_MAX): string {
  return clipText(raw, max, escapeUserText)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** What `/incident status <text>` posts in the incident channel. */
export function renderStatusUpdate(incident: Incident, text: string, actor: string, at: string): ChatMessage {
  return {
    text: `Status update on ${clipText(incident.title, 200)} from <@${actor}>: ${clipText(text, STATUS_MAX, escapeUserText)}`,
    blocks: [
      section(`:loudspeaker: *Status update* — <@${actor}>, ${slackDate(at)}\n${quoteText(text)}`),
      context(
        `${incident.severity} · ${escapeText(incident.environment)} · ${clipText(incident.title, 200)} · phase ${escapeText(incident.phase)}`,
      ),
    ],
  };
}

/**
 * A phase change. `from` is absent when it is not known (the first change after opening may not
 * know it); `budgetMs` when the new phase is not in the configuration.
 */
export function renderPhaseChange(from: string | undefined, to: string, budgetMs?: number): ChatMessage {
  const change = from === undefined ? `*${escapeText(to)}*` : `*${escapeText(from)}* → *${escapeText(to)}*`;
  const budget = budgetMs === undefined ? 'no budget' : `budget ${formatDuration(budgetMs)}`;
  return {
    text: `Phase: ${from === undefined ? '' : `${escapeText(from)} → `}${escapeText(to)} (${budget})`,
    blocks: [section(`:arrows_counterclockwise: Phase ${change} — ${budget}`)],
  };
}

/** The one reminder per phase visit that the phase has outrun its budget. */
export function renderPhaseOverrun(phase: string, budgetMs: number, spentMs: number): ChatMessage {
  const over = formatDuration(Math.max(0, spentMs - budgetMs));
  const spent = `has run ${formatDuration(spentMs)}, ${over} over its ${formatDuration(budgetMs)} budget`;
  return {
    text: `The ${escapeText(phase)} phase ${spent}`,
    blocks: [
      section(
        `:warning: The *${escapeText(phase)}* phase ${spent}.\nMove on to the next phase if it is done; if it is stuck, page more help or post a status update.`,
      ),
    ],
  };
}

/** A new incident commander. */
export function renderCommanderChange(user: string): ChatMessage {
  return {
    text: `<@${user}> is now the incident commander`,
    blocks: [section(`:bust_in_silhouette: <@${user}> is now the incident commander.`)],
  };
}

/** The short line posted when the incident closes; the recap is a message of its own. */
export function renderClosed(incident: Incident): ChatMessage {
  const lasted = incident.closedAt
    ? ` after ${formatDuration(Math.max(0, Date.parse(incident.closedAt) - Date.parse(incident.openedAt)))}`
    : '';
  const resolution = incident.resolution
    ? clipText(incident.resolution, RESOLUTION_MAX, escapeUserText)
    : undefined;
  const closedAt = incident.closedAt ? ` at ${slackDate(incident.closedAt)}` : '';
  return {
    text: `Incident closed${lasted}${resolution ? `: ${resolution}` : ''}`,
    blocks: [
      section(
        `:white_check_mark: *Incident closed*${lasted}${closedAt}.${resolution ? `\n*Resolution:* ${resolution}` : ''}`,
      ),
      context('The recap follows.'),
    ],
  };
}
