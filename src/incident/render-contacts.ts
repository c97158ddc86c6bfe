import { context, escapeText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { CONTACT_TIERS, type Config } from '../config/schema';
import { ackedWhereBy } from './acker';
import type { ContactAck, ContactsView, Listed, PagerDutyLinkState, TierContacts } from './contacts-view';
import { nextTier, tiersInOrder } from './escalation';
import { pagerReasonText, slackMention } from './render-pager';
import { clipText } from './render-status';

/**
 * Who is on call for the incident, tier by tier in escalation order: each tier's contacts
 * (names, members as mentions, notes), when it was paged and why, who acknowledged and how fast,
 * who acknowledged without being paged, failed pages and escalations. Tiers with no contacts are
 * left out unless they were paged. `now` measures how long an unacknowledged page has waited.
 * Lists show their earliest items and say how many more there are (see CONTACTS_LISTED), so a
 * tier's section stays well inside Slack's 3,000 characters.
 */
export function renderContacts(
  config: Pick<Config, 'contacts' | 'escalation'>,
  state: ContactsView,
  now: Date,
): ChatMessage {
  const tiers = CONTACT_TIERS.filter(
    (tier) => config.contacts.some((c) => c.tier === tier) || state.tiers[tier].pageCount > 0,
  );
  if (tiers.length === 0) {
    const text =
      'No contacts are configured, so nobody can be paged. Add them under `contacts:` in the config file, e.g. `infra-oncall: { tier: primary, slack: [S0123ABCD] }`.';
    return { text, blocks: [section(`:warning: ${text}`)] };
  }
  const view: View = {
    config,
    open: state.closedAt === undefined,
    end: state.closedAt ? new Date(state.closedAt) : now,
    // Any acknowledgement by someone paged stops the escalation (see decideOnAckTimeout).
    acked: CONTACT_TIERS.some((tier) => state.tiers[tier].ack),
  };
  const sections = tiers.map((tier) => section(tierText(view, state.tiers[tier], state.pagerDuty)));
  const others = listed(
    state.otherAcks,
    (a) => `${slackMention(a.user)} acknowledged ${slackDate(a.at)} (not paged)`,
  );
  return {
    text: `Contacts: ${tiers.map((tier) => tierGist(state.tiers[tier], view)).join('; ')}`,
    blocks: [
      section(`*Contacts* — ${tiers.length === 1 ? '1 tier' : `${tiers.length} tiers`}, in escalation order`),
      ...sections,
      ...(others.length > 0 ? [section(`*Other acknowledgements*\n${bullets(others)}`)] : []),
      context(
        view.open
          ? `Unacknowledged pages escalate after ${formatDuration(config.escalation.ackTimeoutMs)}.`
          : `The incident closed ${slackDate(view.end)}.`,
      ),
    ],
  };
}

/** What every line needs: the configuration, whether the incident is open, and until when to count. */
interface View {
  config: Pick<Config, 'contacts' | 'escalation'>;
  open: boolean;
  /** `now`, or the close. */
  end: Date;
  acked: boolean;
}

function tierText(view: View, tier: TierContacts, pagerDuty: ContactsView['pagerDuty']): string {
  const contacts = view.config.contacts
    .filter((c) => c.tier === tier.tier)
    .map((c) => {
      const link = c.pagerduty ? pagerDutyText(c.pagerduty.routingKeyEnv, pagerDuty?.[c.name]) : undefined;
      const ways = [
        ...(c.slack.length > 0 ? [c.slack.map(slackMention).join(', ')] : []),
        ...(link ? [link] : []),
      ];
      return `• ${escapeText(c.name)}: ${ways.join(' · ')}${c.note ? ` — _${clipText(c.note, 300)}_` : ''}`;
    });
  const lines = [
    `*${tier.tier}*`,
    ...(contacts.length > 0 ? contacts : ['• _no contacts configured any more_']),
    pagedLine(view, tier),
    ...(tier.pageCount > 0 ? [ackLine(view, tier)] : []),
    ...listed(
      tier.unpagedAcks,
      (a: ContactAck) => `also acknowledged by ${slackMention(a.user)} ${slackDate(a.at)} (not paged)`,
    ),
    ...listed(
      tier.failures,
      (f) =>
        `:x: could not page ${slackMention(f.user)} (${escapeText(f.contact)}): ${clipText(f.error, 200)}`,
    ),
    ...listed(
      tier.escalations,
      (e) => `escalated to *${e.to}* ${slackDate(e.at)} — ${pagerReasonText(e.reason, view.config)}`,
    ),
  ];
  return lines.join('\n');
}

/** "PagerDuty: acknowledged": where the contact's PagerDuty incident stands, or why it cannot be paged. */
function pagerDutyText(variable: string, link: PagerDutyLinkState | undefined): string {
  if (link && !link.keySet)
    return `PagerDuty: linked, but \`${variable}\` is not set, so pages go by Slack only`;
  const state = link?.state;
  if (state === undefined) return 'PagerDuty: linked, not paged yet';
  if (state === 'failed') return 'PagerDuty: :x: the page failed';
  return `PagerDuty: ${state === 'sending' ? 'paging…' : state}`;
}

function pagedLine(view: View, tier: TierContacts): string {
  if (!tier.firstPagedAt) return 'not paged';
  const reasons = [...new Set(tier.reasons.map((reason) => pagerReasonText(reason, view.config)))].join(', ');
  const ago = view.open ? ` (${formatDuration(since(tier.firstPagedAt, view.end))} ago)` : '';
  const times =
    tier.pageCount > 1 && tier.lastPagedAt
      ? ` · paged ${tier.pageCount} times, last ${slackDate(tier.lastPagedAt)}`
      : '';
  return `paged ${slackDate(tier.firstPagedAt)}${ago} — ${reasons}${times}`;
}

function ackLine(view: View, tier: TierContacts): string {
  if (tier.ack) {
    const after =
      tier.timeToAckMs === undefined ? '' : `, ${formatDuration(tier.timeToAckMs)} after the page`;
    return `:white_check_mark: acknowledged ${ackedWhereBy(tier.ack.user)} ${slackDate(tier.ack.at)}${after}`;
  }
  // Like the ack timer, count from the latest page of the tier.
  const waited = since(tier.lastPagedAt ?? view.end.toISOString(), view.end);
  if (!view.open) return `not acknowledged before the close, ${formatDuration(waited)} after the page`;
  const left = view.config.escalation.ackTimeoutMs - waited;
  const escalates =
    view.acked || tier.escalations.total > 0 || !nextTier(tier.tier, tiersInOrder(view.config))
      ? ''
      : left > 0
        ? ` (escalates in ${formatDuration(left)})`
        : ' (escalation due)';
  return `:hourglass_flowing_sand: not acknowledged — waiting ${formatDuration(waited)}${escalates}`;
}

function tierGist(tier: TierContacts, view: View): string {
  if (tier.ack) {
    const after = tier.timeToAckMs === undefined ? '' : ` after ${formatDuration(tier.timeToAckMs)}`;
    return `${tier.tier} acknowledged ${ackedWhereBy(tier.ack.user)}${after}`;
  }
  if (!tier.firstPagedAt) return `${tier.tier} not paged`;
  return view.open
    ? `${tier.tier} paged ${formatDuration(since(tier.firstPagedAt, view.end))} ago, not acknowledged`
    : `${tier.tier} paged, never acknowledged`;
}

const since = (iso: string, end: Date) => Math.max(0, end.getTime() - Date.parse(iso));

/** A line per item listed, then how many more there are. */
function listed<T>(list: Listed<T>, line: (item: T) => string): string[] {
  const more = list.total - list.items.length;
  return [...list.items.map(line), ...(more > 0 ? [`…and ${more} more`] : [])];
}

function bullets(lines: string[]): string {
  return lines.map((line) => `• ${line}`).join('\n');
}
