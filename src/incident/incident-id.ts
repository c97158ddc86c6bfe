import { randomBytes } from 'node:crypto';

/** Incident ids end up in Redis keys: this keeps them from containing `:` or a hash tag. */
export const INCIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A new incident id: `inc-`, the time in base36 (9 digits, so ids sort by creation time as
 * strings until the year 5188), then 6 random base36 characters. Callers create the id before
 * `RedisIncidentStore.create`, which stores it as given.
 */
export function newIncidentId(
  now: Date = new Date(),
  random: (size: number) => Buffer = randomBytes,
): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  const noise = [...random(6)].map((byte) => (byte % 36).toString(36)).join('');
  return `inc-${time}${noise}`;
}
