import type { NewTimelineEntry } from './incident';

/**
 * The longest free text the store keeps, per field, in UTF-16 units. Longer text is cut to it,
 * ending in "…", rather than refused: the store is written by jobs that retry (a pinned message of
 * 40,000 characters would fail its job on every attempt). The router refuses commands over 4,000
 * characters (titles over 500), so what people type through it is never cut: these limits are the
 * backstop that keeps every Redis entry bounded, whoever writes it.
 */
export const STORED_TITLE_MAX = 500;
export const STORED_RESOLUTION_MAX = 4000;
/** A timeline entry's `text`: a command's 4,000 characters, with room for `/incident` and an outcome. */
export const STORED_ENTRY_TEXT_MAX = 5000;
/** Each string in a timeline entry's `data`, at any depth. */
export const STORED_DATA_TEXT_MAX = 4000;

/** `text` in at most `max` units, cut between code points with "…" when longer. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never keep half of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * The entry with its text and every string in its data capped. Anything malformed is left as it
 * is, for `encodeEntry` to refuse.
 */
export function capEntry(entry: NewTimelineEntry): NewTimelineEntry {
  return {
    ...entry,
    text: typeof entry.text === 'string' ? capText(entry.text, STORED_ENTRY_TEXT_MAX) : entry.text,
    data: capData(entry.data) as Record<string, unknown>,
  };
}

function capData(value: unknown): unknown {
  if (typeof value === 'string') return capText(value, STORED_DATA_TEXT_MAX);
  if (Array.isArray(value)) return value.map(capData);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, capData(inner)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
