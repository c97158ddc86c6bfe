/** Slack reads flags leniently: form encoding turns `true` into `'true'`, and some clients send `1`. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** An absent, null or empty argument is no argument. */
export function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
