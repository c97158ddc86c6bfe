/** Builders for the fields of the config schema, each with error messages worded as fixes (see `schema-messages`). */
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration';
import { article, expecting, problem, quote } from './schema-messages';

/** A mapping that rejects unknown keys, naming the allowed ones. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, what: string, example: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? problem('Unknown key.', `remove it or fix its spelling; the keys allowed here are: ${known}.`)
        : expecting(what, example)(issue),
  });
}

/** True for an absolute http:// or https:// URL. */
export const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A string that must satisfy `rule`; `fix` says how to write a valid one, `example` is shown when it is missing. */
export function text(
  rule: RegExp | ((value: string) => boolean),
  what: string,
  fix: string,
  example: string,
) {
  const test = typeof rule === 'function' ? rule : (value: string) => rule.test(value);
  return z.string({ error: expecting(article(what), example) }).refine(test, {
    error: (issue) => problem(`${quote(issue.input)} is not a valid ${what}.`, fix),
  });
}

/** A list of `item`s in which no two share a `key`; the duplicate is named in the message. */
export function uniqueList<T extends z.ZodType>(
  item: T,
  what: string,
  example: string,
  key: (value: z.output<T>) => string,
) {
  return z.array(item, { error: expecting(`a list of ${what}s`, example) }).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((value, index) => {
      const id = key(value);
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          message: problem(`${quote(id)} is listed twice.`, `remove the duplicate ${what}.`),
        });
      }
      seen.add(id);
    });
  });
}

/** A duration written like 90s, 15m or 1h30m, parsed to milliseconds; at least `minMs`, at most `maxMs`. */
export function duration(minMs: number, maxMs = Number.POSITIVE_INFINITY) {
  return z.unknown().transform((value, ctx): number => {
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined) {
      const what = `${quote(value)} is not a duration: write it like 90s, 15m or 4h.`;
      const how = 'give a whole number followed by a unit (d, h, m, s or ms); units combine, as in 1h30m.';
      ctx.addIssue({ code: 'custom', message: problem(what, how) });
      return z.NEVER;
    }
    if (ms < minMs) {
      const how = `use ${formatDuration(minMs)} or more.`;
      ctx.addIssue({ code: 'custom', message: problem(`${quote(value)} is too short.`, how) });
    }
    if (ms > maxMs) {
      const how = `use ${formatDuration(maxMs)} or less.`;
      ctx.addIssue({ code: 'custom', message: problem(`${quote(value)} is too long.`, how) });
    }
    return ms;
  });
}

/** A non-empty mapping from lowercase, hyphenated names (e.g. `staging`) to `value`s. */
export function namedMap<T extends z.ZodType>(value: T, what: string, example: string) {
  const name = text(
    /^[a-z][a-z0-9-]{0,29}$/,
    `${what} name`,
    'start with a lowercase letter and use only lowercase letters, digits and hyphens (at most 30).',
    'staging',
  );
  return z
    .record(name, value, { error: expecting(`a mapping of ${what}s`, example) })
    .refine((entries) => Object.keys(entries).length > 0, {
      error: problem(`No ${what} is defined.`, `add at least one, for example ${example}.`),
    });
}

/** A whole number from 1 to `max`. */
export function wholeNumber(max: number) {
  const range = (issue: { input?: unknown }) =>
    problem(`${quote(issue.input)} is out of range.`, `write a whole number from 1 to ${max}.`);
  return z
    .number({ error: expecting('a whole number', '8') })
    .int({ error: range })
    .min(1, { error: range })
    .max(max, { error: range });
}
