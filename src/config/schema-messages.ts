/**
 * How config errors are worded: the problem, then `FIX_MARKER`, then the fix, quoting the offending value safely.
 */

/** Schema messages state the problem, then this marker, then the fix; `parseConfig` splits them there. */
export const FIX_MARKER = 'To resolve, ';
export const problem = (what: string, fix: string): string => `${what} ${FIX_MARKER}${fix}`;

/** Shows a value in a message; never shows the user-info part of a URL. */
export const quote = (value: unknown): string => {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `"${short.replace(/\/\/[^/@\s]*@/g, '//***@')}"`;
};

const kindOf = (value: unknown): string =>
  value === null
    ? 'nothing'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : quote(value);

/** Error map for a required value of the wrong type or missing altogether. */
export const expecting =
  (what: string, example: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? problem('This key is required but missing.', `add ${what}, for example ${example}.`)
      : problem(`Expected ${what}, found ${kindOf(issue.input)}.`, `write ${what}, for example ${example}.`);

/** Prefixes a noun with "a" or "an", for messages built around it. */
export const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);
