/**
 * Splits the text after `/incident` into words, keeping where each came from so free text can be
 * taken exactly as typed. The rules are few on purpose, so that what a person typed never does more
 * than they meant:
 *
 * - Quotes group words only when they open at the start of a word and close at the end of one:
 *   `"connector is flapping"` is one word, while the apostrophe in `it's` is a letter.
 * - Straight and typographic quotes both work (`"…"`, `'…'`, `“…”`, `‘…’`), as Slack's clients
 *   turn one into the other.
 * - A quote that opens and never closes is an error that says where it is, never a silent merge.
 * - Slack's references (`<@U123|alice smith>`, `<#C1|ops>`, `<https://…|a label>`) stay one word.
 */
export interface Token {
  /** The word, without its quotes. */
  text: string;
  /** Where it starts and ends in the text, quotes included (`text.slice(start, end)`). */
  start: number;
  end: number;
  /** True when it was grouped by quotes or is a Slack reference: it is never read as an option. */
  grouped: boolean;
}

export type Lexed = { ok: true; tokens: Token[] } | { ok: false; error: string; at: number };

const DOUBLE = '"\u201c\u201d\u201e';
const SINGLE = "'\u2018\u2019";
/** Quotes that may open a group; closing ones of the same family end it. */
const OPENERS = '"\u201c\'\u2018';
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
const family = (quote: string) => (DOUBLE.includes(quote) ? DOUBLE : SINGLE);
/** `<@…>`, `<#…>`, `<!…>` and `<scheme:…>` are Slack references; any other `<` is a letter. */
const REFERENCE_START = /^<(?:[@#!]|[a-z][a-z0-9+.-]*:)/i;

export function lex(text: string): Lexed {
  const tokens: Token[] = [];
  // Where the next `>` is, found once and reused, so a text of many `<@…` stays linear.
  let nextClose = -2;
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const start = i;
    const first = text[i] ?? '';
    if (OPENERS.includes(first)) {
      const close = closingQuote(text, i + 1, family(first));
      if (close < 0) return unbalanced(text, start, first);
      tokens.push({ text: text.slice(start + 1, close), start, end: close + 1, grouped: true });
      i = close + 1;
      continue;
    }
    if (first === '<' && REFERENCE_START.test(text.slice(i, i + 40))) {
      if (nextClose !== -1 && nextClose < i) nextClose = text.indexOf('>', i);
      const close = nextClose;
      if (close > 0 && (isSpace(text[close + 1]) || close + 1 === text.length)) {
        tokens.push({ text: text.slice(start, close + 1), start, end: close + 1, grouped: true });
        i = close + 1;
        continue;
      }
    }
    while (i < text.length && !isSpace(text[i])) i++;
    tokens.push({ text: text.slice(start, i), start, end: i, grouped: false });
  }
  return { ok: true, tokens };
}

/** The index of the quote that closes a group opened before `from`: one of `quotes` that ends a word. */
function closingQuote(text: string, from: number, quotes: string): number {
  for (let i = from; i < text.length; i++) {
    if (quotes.includes(text[i] ?? '') && (i + 1 === text.length || isSpace(text[i + 1]))) return i;
  }
  return -1;
}

function unbalanced(text: string, at: number, quote: string): Lexed {
  const context = text.slice(at, at + 24).replace(/\s+/g, ' ');
  return {
    ok: false,
    at,
    error: `The quote ${quote} at character ${at + 1} (${context}${text.length > at + 24 ? '…' : ''}) is never closed. Close it at the end of a word, or remove it.`,
  };
}

/** The subcommand's name as typed (the first word), lower-cased; undefined for empty text. */
export function firstWord(text: string): string | undefined {
  const match = /^\s*(\S+)/.exec(text);
  return match?.[1]?.toLowerCase();
}
