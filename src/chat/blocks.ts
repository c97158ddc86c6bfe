import type { ContextBlock, HeaderBlock, SectionBlock } from '@slack/types';

/** Slack requires &, < and > escaped in text it should not interpret as markup. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Section text is limited to 3,000 characters by Slack; longer text is cut with a marker. */
export function section(markdown: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(markdown, 3000) } };
}

export function header(plain: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(plain, 150), emoji: true } };
}

export function context(markdown: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(markdown, 3000) }] };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
