import { escapeUserText } from '../chat/blocks';
import { slackDate } from '../chat/slack-date';
import type { FollowUp } from './follow-up';

/** One follow-up in Slack mrkdwn: number, text, owner, due date and state. */
export function followUpLine(item: FollowUp): string {
  const owner = item.owner ? ` — owner <@${item.owner}>` : '';
  const due = item.dueAt ? ` — due ${slackDate(item.dueAt, '{date_short_pretty}')}` : '';
  const state =
    item.state === 'done'
      ? ` — :ballot_box_with_check: done${item.doneBy ? ` by <@${item.doneBy}>` : ''}`
      : '';
  return `*#${item.number}* ${escapeUserText(item.text)}${owner}${due}${state}`;
}
