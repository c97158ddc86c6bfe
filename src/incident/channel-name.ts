import { SLACK_TEXT_PATTERNS } from '../chat/blocks';

/** Slack refuses channel names longer than this. */
export const MAX_CHANNEL_NAME_LENGTH = 80;

/**
 * Room always kept for a `-<suffix>` of up to two digits, so the `name_taken` retries
 * (`-2`, `-3` … `-99`) only append to the first name instead of also cutting its slug differently.
 */
const RESERVED_SUFFIX_LENGTH = 3;

/** What the slug becomes when the title has no usable word (only emoji, markup or non-Latin script). */
export const FALLBACK_SLUG = 'incident';

/** Letters NFKD leaves whole because they are not "letter + accent" in Unicode, in ASCII. */
export const TRANSLITERATIONS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * The incident channel's name: `inc-YYYYMMDD-<slug>` (date of `openedAt` in UTC), plus `-<suffix>`
 * when Slack answered `name_taken` for the name without it. The result follows Slack's rules:
 * lowercase a–z, 0–9, `-` and `_`, at most 80 characters.
 *
 * The slug keeps the title's words: Slack markup is dropped but user, channel and link labels are
 * kept (`<@U1|alice>` → `alice`), `:emoji:` codes and unicode emoji are dropped, accents are
 * transliterated (`é` → `e`), and the words are joined by single hyphens, cut at a word boundary.
 *
 * @throws RangeError when `openedAt` is not a valid date with a four-digit year or `suffix` is not a positive integer.
 */
export function incidentChannelName(title: string, openedAt: Date, suffix?: number): string {
  // Years outside four digits would put `+`/`-` signs into the ISO date, and so into the name.
  const year = openedAt.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) throw new RangeError(`openedAt is not a usable date: ${openedAt}`);
  if (suffix !== undefined && !(Number.isSafeInteger(suffix) && suffix > 0)) {
    throw new RangeError(`suffix must be a positive integer, not ${suffix}`);
  }
  const prefix = `inc-${openedAt.toISOString().slice(0, 10).replaceAll('-', '')}-`;
  const tail = suffix === undefined ? '' : `-${suffix}`;
  const budget = MAX_CHANNEL_NAME_LENGTH - prefix.length - Math.max(tail.length, RESERVED_SUFFIX_LENGTH);
  return `${prefix}${slugify(title, budget)}${tail}`;
}

/** The title's words, lowercase ASCII, joined by `-`, at most `maxLength` characters. */
function slugify(title: string, maxLength: number): string {
  const words = titleWords(title);
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > maxLength) break;
    slug = next;
  }
  // A first word longer than the budget (a pasted hash or URL) is cut inside itself rather than
  // lost; the word pattern trims the underscores the cut may leave at its end.
  if (slug === '' && words.length > 0)
    slug = words[0].slice(0, maxLength).match(CHANNEL_NAME_PATTERNS.word)?.[0] ?? '';
  return slug === '' ? FALLBACK_SLUG : slug;
}

/**
 * The patterns run over the title, besides `SLACK_TEXT_PATTERNS`' token and entity: each either
 * runs across the text once or, sticky, reads from one colon to the next, so a name costs time in
 * proportion to the title (test/unit/chat/linear-patterns.test.ts proves each linear).
 */
export const CHANNEL_NAME_PATTERNS = {
  /** An emoji code such as `:fire:`, tried at one colon (sticky). */
  emojiCode: /:[a-z0-9_+'-]+:/iuy,
  /** Whether the code point at the end of a (two-unit) slice is a letter or digit. */
  endsInLetterOrDigit: /[\p{L}\p{N}]$/u,
  /** Whether the code point at the start of a (two-unit) slice is a letter or digit. */
  startsWithLetterOrDigit: /^[\p{L}\p{N}]/u,
  mark: /\p{M}/gu,
  transliterated: /[ßæœøđðłþı]/g,
  apostrophe: /['’]/g,
  /** A word: a run of `[a-z0-9_]` without the underscores at its ends. */
  word: /[a-z0-9](?:[a-z0-9_]*[a-z0-9])?/g,
} as const;

function titleWords(title: string): string[] {
  const p = CHANNEL_NAME_PATTERNS;
  const ascii = stripMarkup(title)
    .normalize('NFKD')
    .replace(p.mark, '')
    .toLowerCase()
    .replace(p.transliterated, (letter) => TRANSLITERATIONS[letter] ?? letter)
    // "Alice's" and "can't" read better as one word than as "alice-s" and "can-t".
    .replace(p.apostrophe, '');
  return ascii.match(p.word) ?? [];
}

/**
 * Removes Slack markup: `<kind|label>` keeps its label, `<@U1>`, `<!here>` and bare links are
 * dropped (ids and URLs are noise in a name); `:emoji:` codes go unless they sit inside a word,
 * which keeps times like `10:30:00` and names like `db:primary:down`.
 */
function stripMarkup(text: string): string {
  const labels = text.replace(SLACK_TEXT_PATTERNS.token, (_, inner: string) => {
    const bar = inner.indexOf('|');
    return bar >= 0 ? ` ${inner.slice(bar + 1)} ` : ' ';
  });
  return stripEmojiCodes(labels).replace(SLACK_TEXT_PATTERNS.entity, ' ');
}

/**
 * `:code:` replaced by a space unless a letter or digit touches it on either side. Each colon is
 * tried once, and a try reads no further than the next colon.
 */
function stripEmojiCodes(text: string): string {
  const { emojiCode, endsInLetterOrDigit, startsWithLetterOrDigit } = CHANNEL_NAME_PATTERNS;
  let kept = '';
  let copiedTo = 0;
  for (let colon = text.indexOf(':'); colon >= 0; ) {
    emojiCode.lastIndex = colon;
    const code = endsInLetterOrDigit.test(text.slice(Math.max(0, colon - 2), colon))
      ? null
      : emojiCode.exec(text);
    const end = code ? colon + code[0].length : -1;
    if (code && !startsWithLetterOrDigit.test(text.slice(end, end + 2))) {
      kept += `${text.slice(copiedTo, colon)} `;
      copiedTo = end;
      colon = text.indexOf(':', end);
    } else {
      colon = text.indexOf(':', colon + 1);
    }
  }
  return kept + text.slice(copiedTo);
}
