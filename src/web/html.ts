import { SLACK_TEXT_PATTERNS, unescapeSlackText } from '../chat/blocks';

/**
 * The patterns a page runs over Slack text, besides `SLACK_TEXT_PATTERNS.token`, which finds each
 * markup token once: the anchored ones read one token's body, so a page costs time in proportion
 * to its text (test/unit/chat/linear-patterns.test.ts proves each linear).
 */
export const PAGE_TEXT_PATTERNS = {
  htmlEscapable: /[&<>"']/g,
  code: /`([^`\n]+)`/g,
  user: /^@([UW][A-Z0-9]+)(?:\|(.*))?$/s,
  channel: /^#(C[A-Z0-9]+)(?:\|(.*))?$/s,
  subteam: /^!subteam\^(S[A-Z0-9]+)(?:\|(.*))?$/s,
  date: /^!date\^[^|]*\|(.*)$/s,
  broadcast: /^!(here|channel|everyone)$/,
  labelledLink: /^https?:[^|]+\|(.*)$/s,
  bareLink: /^(https?:.+)$/s,
} as const;

const HTML_ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML escaping for text and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(PAGE_TEXT_PATTERNS.htmlEscapable, (c) => HTML_ESCAPED[c] ?? c);
}

/**
 * Slack mrkdwn as plain text for a page: mentions `<@U1|alice>` → @alice (or @U1), channels
 * `<#C1|ops>` → #ops, dates `<!date^…|fallback>` → the fallback, links `<url|text>` → text,
 * broadcasts `<!here>` → @here, and Slack's own escapes undone. Escape the result for HTML.
 * With `nameOf`, a user or group without a label is shown by the name it gives.
 * A token is `<` to the next `>` with no `<` between (Slack escapes both in what people type).
 */
export function plainFromSlack(text: string, nameOf?: (id: string) => string): string {
  return unescapeSlackText(
    text.replace(SLACK_TEXT_PATTERNS.token, (token, body: string) => plainToken(body, nameOf) ?? token),
  );
}

/** What each kind of token reads as; the first whose pattern matches the body wins. */
const TOKEN_TEXT: [RegExp, (match: RegExpExecArray, nameOf: (id: string) => string) => string][] = [
  [PAGE_TEXT_PATTERNS.user, (m, nameOf) => `@${m[2] || nameOf(m[1] ?? '')}`],
  [PAGE_TEXT_PATTERNS.channel, (m) => `#${m[2] || m[1]}`],
  [PAGE_TEXT_PATTERNS.subteam, (m, nameOf) => `@${m[2] || nameOf(m[1] ?? '')}`],
  [PAGE_TEXT_PATTERNS.date, (m) => m[1]],
  [PAGE_TEXT_PATTERNS.broadcast, (m) => `@${m[1]}`],
  [PAGE_TEXT_PATTERNS.labelledLink, (m) => m[1]],
  [PAGE_TEXT_PATTERNS.bareLink, (m) => m[1]],
];

/** One token's body as plain text, or undefined when it is not markup we know (it stays as typed). */
function plainToken(body: string, nameOf: (id: string) => string = (id) => id): string | undefined {
  for (const [pattern, read] of TOKEN_TEXT) {
    const match = pattern.exec(body);
    if (match) return read(match, nameOf);
  }
  return undefined;
}

/** `2026-11-28 22:35:45` (UTC) for a page; the script shows local time beside it. */
export function utc(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Slack mrkdwn as HTML for a page: plain text, escaped, with `code` spans kept as code. */
export function mrkdwnToHtml(text: string, nameOf?: (id: string) => string): string {
  return esc(plainFromSlack(text, nameOf)).replace(PAGE_TEXT_PATTERNS.code, '<code>$1</code>');
}
