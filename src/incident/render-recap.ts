import type { KnownBlock } from '@slack/types';
import { context, escapeText, header, section, truncate } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import type { Config } from '../config/schema';
import { ackedWhereBy } from './acker';
import { collectRecapFacts } from './collect-recap-facts';
import { TO_COMPLETE } from './five-whys';
import type { Incident, TimelineEntry } from './incident';
import type { PhaseTotal } from './phases';
import type { TierRecap } from './recap-facts';
import { followUpLine } from './render-follow-ups';

const bullets = (lines: string[]) =>
  lines.length > 0 ? lines.map((line) => `• ${line}`).join('\n') : '_none_';
const user = (id: string) => `<@${id}>`;

function overUnder(deltaMs: number): string {
  if (deltaMs === 0) return 'on budget';
  return `${formatDuration(Math.abs(deltaMs))} ${deltaMs > 0 ? 'over' : 'under'}`;
}

function phaseLine(phase: PhaseTotal): string {
  const name = `*${escapeText(phase.name)}*`;
  if (phase.status === 'skipped' || phase.status === 'pending') return `${name} ${phase.status}`;
  const visits = phase.visits > 1 ? ` (${phase.visits} visits)` : '';
  const running = phase.status === 'current' ? ', in progress' : '';
  const budget =
    phase.budgetMs === undefined
      ? ' (no budget)'
      : ` of ${formatDuration(phase.budgetMs)} — ${overUnder(phase.deltaMs ?? 0)}`;
  return `${name} ${formatDuration(phase.actualMs)}${visits}${budget}${running}`;
}

function pagingLine(tier: TierRecap): string {
  const paged = `*${tier.tier}* paged ${slackDate(tier.firstPagedAt)} (${[...new Set(tier.reasons)].join(', ')}): ${tier.users.map(user).join(', ')}`;
  const ack =
    tier.ackedBy && tier.timeToAckMs !== undefined
      ? `acknowledged ${ackedWhereBy(tier.ackedBy)} after ${formatDuration(tier.timeToAckMs)}${tier.slow ? ' :warning:' : ''}`
      : `not acknowledged${tier.slow ? ' :warning:' : ''}`;
  const extra = [
    ...tier.unpagedAcks.map((a) => `also acknowledged by ${user(a.user)} (not paged)`),
    ...tier.failures.map((f) => `could not page ${user(f.user)} (${escapeText(f.error)})`),
  ];
  return [paged, ack, ...extra].join(' — ');
}

/** The action id of a suggestion's Add button (`.<n>` after it keeps ids apart within the message). */
export const ADD_FOLLOW_UP_ACTION = 'follow-up-add';
/** Suggestions shown with a button; Slack takes 50 blocks a message. */
const MAX_SUGGESTIONS = 10;

/** Each suggestion with its Add button: a click records it as a follow-up, once however many clicks. */
function suggestionBlocks(suggestions: readonly string[]): KnownBlock[] {
  if (suggestions.length === 0) return [];
  return [
    section('*Suggested follow-ups* (from what was found: add the ones you will do)'),
    ...suggestions.slice(0, MAX_SUGGESTIONS).map(
      (text, i): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: `• ${escapeText(truncate(text, 2900))}` },
        accessory: {
          type: 'button',
          text: { type: 'plain_text', text: 'Add' },
          action_id: `${ADD_FOLLOW_UP_ACTION}.${i}`,
          value: truncate(text, 2000),
        },
      }),
    ),
  ];
}

/** The recap posted at close (or on demand): Block Kit, with a text fallback that carries the gist. */
export function renderRecap(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases' | 'escalation'>,
  now?: Date,
  /** The incident page, when the pages are on: the full timeline and the phase chart. */
  pageUrl?: string,
  /** The postmortem draft in Google Docs, once created. */
  postmortemUrl?: string,
): ChatMessage {
  const f = collectRecapFacts(incident, timeline, config, now);
  const when = f.open ? 'open for' : 'resolved in';
  const total = `${when} ${formatDuration(f.totalMs)} (expected ${formatDuration(f.expectedMs)}, ${overUnder(f.totalMs - f.expectedMs)})`;
  const summary = [
    `*${escapeText(incident.id)}* · ${incident.severity} · ${escapeText(incident.environment)} · commander ${user(incident.commander)}`,
    `Opened ${slackDate(incident.openedAt)}${f.open ? '' : ` · closed ${slackDate(f.endedAt)}`} · *${total}*`,
    ...(incident.resolution ? [`Resolution: ${escapeText(incident.resolution)}`] : []),
    ...(pageUrl ? [`<${pageUrl}|Incident page>: the full timeline, the phase chart and every check`] : []),
    ...(postmortemUrl
      ? [`<${postmortemUrl}|Postmortem draft> in Google Docs: finish the root cause there`]
      : []),
  ];
  const sections: [string, string[]][] = [
    ['Phases', f.phases.map(phaseLine)],
    ['Key moments', f.keyMoments.map((m) => `${slackDate(m.at)} ${escapeText(m.what)}`)],
    [
      'Paging',
      [...f.paging.map(pagingLine), ...f.otherAcks.map((a) => `${user(a.user)} acknowledged (not paged)`)],
    ],
    [
      'Diagnoses',
      f.diagRuns.map(
        (d) => `${slackDate(d.at)} \`${d.verdict}\` — ${escapeText(d.title)} (run ${escapeText(d.runId)})`,
      ),
    ],
    [
      'Remediation',
      f.remediations.map(
        (r) =>
          `${escapeText(`${r.action} of ${r.service} (${r.environment})`)}: ${escapeText(r.state === 'done' ? (r.outcome ?? 'done') : r.state)}${r.requestedBy ? ` — requested by ${user(r.requestedBy)}` : ''}`,
      ),
    ],
    ['Status updates', f.statusUpdates.map((s) => `${slackDate(s.at)} ${user(s.by)}: ${escapeText(s.text)}`)],
  ];
  const whys = f.fiveWhys.map(
    (w, i) =>
      `${i + 1}. ${escapeText(w.question)} → ${w.answer === TO_COMPLETE ? w.answer : escapeText(w.answer)}`,
  );
  return {
    text: `Recap of ${escapeText(incident.title)}: ${total}; ${f.followUps.length} follow-ups`,
    blocks: [
      header(`Recap: ${incident.title}`),
      section(summary.join('\n')),
      ...sections.map(([title, lines]) => section(`*${title}*\n${bullets(lines)}`)),
      section(`*Five whys* (finish them together)\n${whys.join('\n')}`),
      section(
        `*Follow-ups*\n${f.followUps.length > 0 ? f.followUps.map(followUpLine).join('\n') : '_none yet: `/incident followup <text> [@owner] [--due 7d]`_'}`,
      ),
      ...suggestionBlocks(f.suggestedFollowUps),
      ...(f.open ? [context('The incident is still open: figures run to now.')] : []),
    ],
  };
}
