/** Slack refuses channel names longer than this. */
export const MAX_CHANNEL_NAME_LENGTH = 80;

/**
 * Room always kept for a `-<suffix>` of up to two digits, so the `name_taken` retries
 * (`-2`, `-3` … `-99`) only append to the first name instead of also cutting its slug differently.
 */
const RESERVED_SUFFIX_LENGTH = 3;

/** What the slug becomes when the title has no usable word (only emoji, markup or non-Latin script). */
export const FALLBACK_SLUG = 'incident';

// Letters NFKD leaves whole because they are not "letter + accent" in Unicode.
const TRANSLITERATIONS: Record<string, string> = {
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
  // A first word longer than the budget (a pasted hash or URL) is cut inside itself rather than lost.
  if (slug === '' && words.length > 0) slug = trimUnderscores(words[0].slice(0, maxLength));
  return slug === '' ? FALLBACK_SLUG : slug;
}

function titleWords(title: string): string[] {
  const ascii = stripMarkup(title)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (letter) => TRANSLITERATIONS[letter] ?? letter)
    // "Alice's" and "can't" read better as one word than as "alice-s" and "can-t".
    .replace(/['’]/g, '');
  return ascii
    .split(/[^a-z0-9_]+/)
    .map(trimUnderscores)
    .filter((word) => word !== '');
}

/**
 * Removes Slack markup: `<kind|label>` keeps its label, `<@U1>`, `<!here>` and bare links are
 * dropped (ids and URLs are noise in a name); `:emoji:` codes go unless they sit inside a word,
 * which keeps times like `10:30:00` and names like `db:primary:down`.
 */
function stripMarkup(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_, inner: string) => {
      const bar = inner.indexOf('|');
      return bar >= 0 ? ` ${inner.slice(bar + 1)} ` : ' ';
    })
    .replace(/(?<![\p{L}\p{N}]):[a-z0-9_+'-]+:(?![\p{L}\p{N}])/giu, ' ')
    .replace(/&(amp|lt|gt);/g, ' ');
}

function trimUnderscores(word: string): string {
  return word.replace(/^_+|_+$/g, '');
}
