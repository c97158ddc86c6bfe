import type { KnownBlock } from '@slack/types';
import { context, escapeText, escapeUserText, header, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import type { Config } from '../config/schema';
import type { Incident } from './incident';
import { clipText, plain, quoteText } from './render-status';

/** A `/incident status` update, as the header shows the latest one. */
export interface StatusUpdate {
  text: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Slack user id. */
  actor: string;
}

/** Slack rejects channel topics longer than 250 characters. */
export const TOPIC_MAX = 250;
// A resolution is a sentence or two; this keeps it well inside its section.
const RESOLUTION_MAX = 1000;

const ms = (iso: string) => Date.parse(iso);

/**
 * The pinned header of an incident channel: title, severity, environment, status (with the
 * resolution once closed), commander, start, duration so far, the current phase against its
 * budget, and the latest status update. Pure: re-render it on every change and update the pin.
 *
 * `phaseSpentMs` is how long the current phase has run (all its visits, as the overrun reminder
 * counts them); without it the phase is shown with its budget only.
 */
export function renderHeader(
  incident: Incident,
  config: Pick<Config, 'phases'>,
  now: Date,
  latestStatus?: StatusUpdate,
  phaseSpentMs?: number,
  /** The incident page, when the pages are on. */
  pageUrl?: string,
): ChatMessage {
  const open = incident.status === 'open';
  const end = !open && incident.closedAt ? ms(incident.closedAt) : now.getTime();
  const durationMs = Math.max(0, end - ms(incident.openedAt));
  const phase = phaseLine(incident, config, phaseSpentMs);
  const status = open
    ? ':red_circle: open'
    : `:white_check_mark: closed${incident.closedAt ? ` ${slackDate(incident.closedAt)}` : ''}`;
  const fields = [
    `*Severity*\n${incident.severity}`,
    `*Environment*\n${escapeText(incident.environment)}`,
    `*Status*\n${status}`,
    `*Commander*\n<@${incident.commander}>`,
    `*Started*\n${slackDate(incident.openedAt)}`,
    `*${open ? 'Open for' : 'Lasted'}*\n${formatDuration(durationMs)}`,
    `*Phase*\n${phase}`,
  ];
  const blocks: KnownBlock[] = [
    header(`${incident.severity} · ${clipText(incident.title, 140, plain)}`),
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (!open && incident.resolution) {
    blocks.push(section(`*Resolution:* ${clipText(incident.resolution, RESOLUTION_MAX, escapeUserText)}`));
  }
  if (latestStatus) {
    const quoted = quoteText(latestStatus.text);
    blocks.push(
      section(`*Latest status* — <@${latestStatus.actor}>, ${slackDate(latestStatus.at)}\n${quoted}`),
    );
  }
  const page = pageUrl ? ` · <${pageUrl}|incident page>` : '';
  blocks.push(
    context(
      open
        ? `${escapeText(incident.id)}${page} · \`/incident status &lt;text&gt;\` to post an update · \`/incident help\``
        : `${escapeText(incident.id)}${page} · closed: the recap is in this channel`,
    ),
  );
  const gist = open ? `open, phase ${incident.phase}` : `closed${incident.resolution ? ': resolved' : ''}`;
  const text = `${incident.severity} incident on ${escapeText(incident.environment)}: ${clipText(incident.title, 500)} — ${escapeText(gist)}, commander <@${incident.commander}>`;
  return { text, blocks };
}

function phaseLine(incident: Incident, config: Pick<Config, 'phases'>, spentMs: number | undefined): string {
  const name = incident.phase;
  const budgetMs = config.phases.find((p) => p.name === name)?.budgetMs;
  const label = `*${escapeText(name)}*`;
  if (incident.status === 'closed') return label;
  if (spentMs === undefined)
    return budgetMs === undefined ? label : `${label} (budget ${formatDuration(budgetMs)})`;
  if (budgetMs === undefined) return `${label} — ${formatDuration(spentMs)} (no budget)`;
  const over = spentMs > budgetMs ? ` :warning: ${formatDuration(spentMs - budgetMs)} over` : '';
  return `${label} — ${formatDuration(spentMs)} of ${formatDuration(budgetMs)}${over}`;
}

/**
 * The channel topic: "P1 · staging · <title> · IC <@U…> · phase diagnostic", at most 250
 * characters. The title gives way when the whole does not fit; a closed incident says "closed"
 * in place of its phase.
 */
export function incidentTopic(incident: Incident): string {
  const tail = [
    `IC <@${incident.commander}>`,
    incident.status === 'open' ? `phase ${escapeText(incident.phase)}` : 'closed',
  ];
  const head = [incident.severity, escapeText(incident.environment)];
  const separators = ' · '.length * (head.length + tail.length);
  const room = TOPIC_MAX - separators - [...head, ...tail].join('').length;
  const topic = [...head, clipText(incident.title, Math.max(room, 1)), ...tail].join(' · ');
  // Only absurd environment or phase names get here: the title is already down to "…".
  return topic.length <= TOPIC_MAX ? topic : clipText(topic, TOPIC_MAX, plain);
}
