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

/**
 * Text a person typed, made safe to post again: escaped like {@link escapeText}, except that
 * mentions of users and channels (`<@U123|alice>`, `<#C123|ops>`) keep working. Broadcasts
 * (`<!channel>`, `<!here>`) and group mentions are shown as text, never re-sent as pings.
 */
export function escapeUserText(text: string): string {
  return escapeText(text).replace(/&lt;([@#])([UWC][A-Z0-9]+)(\|[^&]*)?&gt;/g, '<$1$2$3>');
}

/** Slack's escaping of slash-command text (`should_escape`) undone: &lt; &gt; &amp; back to < > &. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
