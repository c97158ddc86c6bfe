import type { ContextBlock, HeaderBlock, SectionBlock } from '@slack/types';

/**
 * The patterns run over text people type, each in one pass. None can backtrack more than a bounded
 * amount per character (test/unit/chat/linear-patterns.test.ts has a checker prove it), so the
 * transforms take time in proportion to the text, whatever it holds.
 */
export const SLACK_TEXT_PATTERNS = {
  /** A character Slack wants escaped. */
  escapable: /[&<>]/g,
  /** A user or channel mention whose label needs no escaping (`<@U1|alice>`), or a character that does. */
  mentionOrEscapable: /<[@#][UWC][A-Z0-9]+(?:\|[^&<>]*)?>|[&<>]/g,
  /** One of Slack's three escapes. */
  entity: /&(?:lt|gt|amp);/g,
  /**
   * A markup token: `<` to the next `>` with no `<` inside. Slack escapes `<` and `>` in what people
   * type, so a token never holds one; requiring it keeps a stray `<` from reaching to a distant `>`.
   */
  token: /<([^<>]*)>/g,
} as const;

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const UNESCAPED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** Slack requires &, < and > escaped in text it should not interpret as markup. */
export function escapeText(text: string): string {
  return text.replace(SLACK_TEXT_PATTERNS.escapable, (c) => ESCAPED[c] ?? c);
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
  return text.replace(SLACK_TEXT_PATTERNS.mentionOrEscapable, (match) => ESCAPED[match] ?? match);
}

/** Slack's escaping of slash-command text (`should_escape`) undone: &lt; &gt; &amp; back to < > &. */
export function unescapeSlackText(text: string): string {
  return text.replace(SLACK_TEXT_PATTERNS.entity, (entity) => UNESCAPED[entity] ?? entity);
}
