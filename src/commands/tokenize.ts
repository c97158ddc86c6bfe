/**
 * Splits the text after `/incident` into arguments. Double, single and typographic quotes group
 * words ("connector is flapping" is one argument); Slack's escaped references such as
 * `<@U123|alice>` stay one argument even when they contain spaces.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: string | undefined;
  let angle = 0;
  for (const ch of text) {
    if (quote) {
      if (ch === quote || (quote === '\u201d' && ch === '\u201c')) {
        quote = undefined;
      } else {
        current += ch;
      }
      continue;
    }
    if (angle > 0) {
      current += ch;
      if (ch === '>') angle -= 1;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    inToken = true;
    if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\u201c') {
      quote = '\u201d';
    } else if (ch === '\u2018') {
      quote = '\u2019';
    } else {
      if (ch === '<') angle += 1;
      current += ch;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/** The subcommand's name as typed (the first word), lower-cased; undefined for empty text. */
export function firstWord(text: string): string | undefined {
  const match = /^\s*(\S+)/.exec(text);
  return match?.[1]?.toLowerCase();
}
