/**
 * The start of every Redis key Warroom writes: the configured `queue.prefix` wrapped in a hash tag
 * (`warroom` → `{warroom}`), so that every key of every queue and store lands in one Redis Cluster
 * slot and multi-key scripts keep working on a cluster or a managed Redis. Queues, stores, the
 * outbox and the shell all take one, so the wrapping is written here and nowhere else.
 */
export class KeyPrefix {
  /** `{name}`: what every key starts with, and BullMQ's `prefix` option. */
  readonly tag: string;

  private constructor(readonly name: string) {
    this.tag = `{${name}}`;
  }

  /** The prefix for `queue.prefix` as configured (without braces). */
  static of(name: string): KeyPrefix {
    if (!name || /[{}]/.test(name)) {
      throw new Error(`A key prefix is a name without braces (they are added here), not "${name}"`);
    }
    return new KeyPrefix(name);
  }

  /** A key under the prefix: `key('incident', id)` → `{warroom}:incident:<id>`. */
  key(...parts: string[]): string {
    return [this.tag, ...parts].join(':');
  }

  /** A SCAN/KEYS pattern matching every key under the prefix. */
  get pattern(): string {
    return `${this.tag}*`;
  }
}
