import type { KnownBlock } from '@slack/types';
import { context, escapeUserText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { SLACK_USER_ID } from '../config/schema';
import { BOT_ACTOR, type TimelineEntry, type TimelineKind } from './incident';
import { clipText } from './render-status';
import { TIMELINE_SLICE_MAX, type TimelineSlice } from './timeline-slice';

/** Entries per page when the command does not say. */
export const TIMELINE_SLICE_SIZE = 25;
/** Larger pages are clamped to this, which keeps a page inside Slack's 50-block limit: a slice's most. */
export const TIMELINE_MAX_SLICE_SIZE = TIMELINE_SLICE_MAX;

// Slack's limits: 3,000 characters of section text, 50 blocks per message. A line is at most
// 999 characters, so any three fit one section and 100 entries need at most 34 sections.
const SECTION_MAX = 3000;
const LINE_MAX = 999;
const MAX_BLOCKS = 50;

/** One emoji per kind of timeline entry. */
export const TIMELINE_EMOJI: Record<TimelineKind, string> = {
  opened: ':rotating_light:',
  command: ':keyboard:',
  'diag-started': ':mag:',
  'diag-finished': ':clipboard:',
  finding: ':microscope:',
  'remediation-requested': ':wrench:',
  'remediation-approved': ':ok_hand:',
  'remediation-denied': ':no_entry:',
  'remediation-done': ':hammer_and_wrench:',
  'remediation-refused': ':no_entry_sign:',
  'remediation-expired': ':hourglass:',
  verification: ':stethoscope:',
  'watch-started': ':eyes:',
  'watch-finished': ':stopwatch:',
  page: ':pager:',
  'page-failed': ':x:',
  reminder: ':hourglass_flowing_sand:',
  ack: ':white_check_mark:',
  escalation: ':arrow_double_up:',
  phase: ':arrows_counterclockwise:',
  'phase-overrun': ':warning:',
  status: ':loudspeaker:',
  note: ':memo:',
  pin: ':pushpin:',
  commander: ':bust_in_silhouette:',
  pagerduty: ':telephone_receiver:',
  closed: ':checkered_flag:',
  'follow-up': ':dart:',
  'follow-up-done': ':ballot_box_with_check:',
  postmortem: ':page_facing_up:',
};

/** Which page to show; pages count from 1, oldest entries first. */
export interface TimelineSliceOptions {
  page: number;
  /** Entries per page: 25 by default (and when not a number), clamped to 1–100. */
  pageSize?: number;
}

/**
 * Where page `page` starts in the timeline ordered by time (0-based, possibly past its end) and
 * how many entries a page holds: what to read for it.
 */
export function timelineSliceRange(options: TimelineSliceOptions): { first: number; count: number } {
  const asked = Math.floor(options.pageSize ?? TIMELINE_SLICE_SIZE);
  const count = Number.isFinite(asked)
    ? Math.min(TIMELINE_MAX_SLICE_SIZE, Math.max(1, asked))
    : TIMELINE_SLICE_SIZE;
  const { page } = options;
  return { first: Number.isInteger(page) && page > 1 ? (page - 1) * count : 0, count };
}

/**
 * One page of the timeline, oldest first (so a page keeps its entries as the incident goes on):
 * a line per entry with its time, actor, an emoji for its kind and its text. `slice` holds the
 * page's entries, in time order, read at `timelineSliceRange(options)`, and the timeline's length.
 * An empty timeline and a page that does not exist get a message saying so, with the page to ask
 * for instead.
 */
export function renderTimelineSlice(slice: TimelineSlice, options: TimelineSliceOptions): ChatMessage {
  const { first, count: pageSize } = timelineSliceRange(options);
  const { total } = slice;
  if (total === 0) {
    const text = 'The timeline is empty: nothing has been recorded yet.';
    return { text, blocks: [section(`:spiral_note_pad: ${text}`)] };
  }
  const pages = Math.ceil(total / pageSize);
  const page = options.page;
  if (!Number.isInteger(page) || page < 1 || page > pages) {
    const shown = Number.isFinite(page) ? String(page) : 'that';
    const text = `There is no page ${shown}: the timeline has ${plural(pages, 'page')} (${plural(total, 'entry', 'entries')}). Try \`/incident timeline ${pages}\` for the latest.`;
    return { text, blocks: [section(`:warning: ${text}`)] };
  }
  const lines = slice.entries.slice(0, pageSize).map(timelineLine);
  const last = first + lines.length;
  const more = page < pages ? ` — \`/incident timeline ${page + 1}\` for more` : '';
  const sections = pack(lines).map(section);
  const blocks: KnownBlock[] = [
    section(`*Timeline* — entries ${first + 1}–${last} of ${total}`),
    // Unreachable with the caps above; kept so a change to them cannot produce a message Slack rejects.
    ...sections.slice(0, MAX_BLOCKS - 2),
    context(`page ${page} of ${pages}${more}`),
  ];
  return {
    text: `Timeline, page ${page} of ${pages}: entries ${first + 1}–${last} of ${total}`,
    blocks,
  };
}

/**
 * "<time> :emoji: <actor>: <text>", at most 999 characters. The text is escaped with user and
 * channel mentions kept: the bot writes them into entries ("Could not page <@U…>").
 */
export function timelineLine(entry: TimelineEntry): string {
  const actor =
    entry.actor === BOT_ACTOR
      ? 'Warroom'
      : SLACK_USER_ID.test(entry.actor)
        ? `<@${entry.actor}>`
        : clipText(entry.actor, 30);
  // History is read back from Redis: an unreadable time must not take the whole page down.
  const time = Number.isNaN(Date.parse(entry.at)) ? '(no time)' : slackDate(entry.at);
  const prefix = `${time} ${TIMELINE_EMOJI[entry.kind] ?? ':grey_question:'} ${actor}: `;
  return prefix + clipText(entry.text, LINE_MAX - prefix.length, escapeUserText);
}

/** Lines joined into as few sections as Slack's 3,000-character limit allows, in order. */
function pack(lines: readonly string[]): string[] {
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > SECTION_MAX) {
      texts.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) texts.push(current);
  return texts;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
