const MS_PER = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof MS_PER;
const UNITS_LARGEST_FIRST: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

// Units must come largest first and at most once each, so "1h30m" and "1h 30m" parse but
// "30m1h" and "1h1h" do not: a typo should fail loudly rather than add up to something odd.
const DURATION = /^(?:(\d+)d)?\s?(?:(\d+)h)?\s?(?:(\d+)m)?\s?(?:(\d+)s)?\s?(?:(\d+)ms)?$/;

/**
 * Parses a compact duration such as `90s`, `15m`, `4h`, `1h30m`, `2d` or `500ms` into milliseconds.
 * Units (d, h, m, s, ms) go largest first, each at most once, optionally separated by one space.
 * Returns `undefined` for anything else, including bare numbers ("15"), negatives and empty text.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  let total = 0;
  UNITS_LARGEST_FIRST.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) total += Number(amount) * MS_PER[unit];
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * Formats milliseconds for people: `1h 30m`, `45s`, `2d 4h`, `0s`. Durations of a second or
 * more are rounded to whole seconds; shorter ones are shown in milliseconds (`250ms`).
 * Negative durations get a leading minus (`-5m`), which reads naturally for "overdue by".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatDuration needs a finite number, got ${ms}`);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const rounded = Math.round(ms);
  if (rounded < MS_PER.s) return rounded === 0 ? '0s' : `${rounded}ms`;
  let rest = Math.round(ms / MS_PER.s) * MS_PER.s;
  const parts: string[] = [];
  for (const unit of UNITS_LARGEST_FIRST.slice(0, 4)) {
    const amount = Math.floor(rest / MS_PER[unit]);
    rest -= amount * MS_PER[unit];
    if (amount > 0) parts.push(`${amount}${unit}`);
  }
  return parts.join(' ');
}
