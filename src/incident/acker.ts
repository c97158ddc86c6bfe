import { escapeText } from '../chat/blocks';
import { slackMention } from './render-pager';

/**
 * An acknowledgement's `user` is a Slack user id, or, for one made in PagerDuty, `pagerduty:`
 * and the name PagerDuty gives the person: so every view that shows who acknowledged (contacts,
 * the recap, the incident page) can also say where.
 */
const PAGERDUTY = 'pagerduty:';

/** The `user` of an acknowledgement made in PagerDuty by `name`. */
export function pagerDutyAcker(name: string): string {
  return `${PAGERDUTY}${name.slice(0, 100)}`;
}

/** Where the acknowledgement of `user` came from. */
export function ackSource(user: string): 'Slack' | 'PagerDuty' {
  return user.startsWith(PAGERDUTY) ? 'PagerDuty' : 'Slack';
}

/** The person as plain text: the PagerDuty name, or the Slack id. */
export function ackerName(user: string): string {
  return user.startsWith(PAGERDUTY) ? user.slice(PAGERDUTY.length) : user;
}

/** The person in mrkdwn: a Slack mention, or the PagerDuty name (escaped). */
export function ackerMention(user: string): string {
  return user.startsWith(PAGERDUTY) ? escapeText(ackerName(user)) : slackMention(user);
}

/** "in Slack by <@U1>" or "in PagerDuty by Jane Doe": who acknowledged, and where. */
export function ackedWhereBy(user: string): string {
  return `in ${ackSource(user)} by ${ackerMention(user)}`;
}
