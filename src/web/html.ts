/** HTML escaping for text and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Slack mrkdwn as plain text for a page: mentions `<@U1|alice>` → @alice (or @U1), channels
 * `<#C1|ops>` → #ops, dates `<!date^…|fallback>` → the fallback, links `<url|text>` → text,
 * broadcasts `<!here>` → @here, and Slack's own escapes undone. Escape the result for HTML.
 */
export function plainFromSlack(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]*)>/g, '$2')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** `2026-11-28 22:35:45` (UTC) for a page; the script shows local time beside it. */
export function utc(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Slack mrkdwn as HTML for a page: plain text, escaped, with `code` spans kept as code. */
export function mrkdwnToHtml(text: string): string {
  return esc(plainFromSlack(text)).replace(/`([^`\n]+)`/g, '<code>$1</code>');
}
