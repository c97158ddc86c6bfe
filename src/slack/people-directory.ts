import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';

/** The Slack reads that name people: `users.info` and `usergroups.list`. */
export interface SlackNames {
  /** The display name (else the real name, else the handle) of a user; undefined if Slack has none. */
  userName(id: string): Promise<string | undefined>;
  /** Every user group's handle, by id. */
  userGroupNames(): Promise<Record<string, string>>;
}

export interface PeopleDirectoryOptions {
  redis: RedisClient;
  prefix: KeyPrefix;
  /** Absent without Slack (the shell): every id is shown as itself. */
  slack?: SlackNames;
  /** Names are kept this long (default a day); a failed lookup is retried after a minute. */
  ttlMs?: number;
  /** A lookup slower than this counts as failed, so a page or a document never waits long. */
  lookupTimeoutMs?: number;
}

const ID = /^[UWS][A-Z0-9]{2,}$/;
const FAILED = '\u0000';

/**
 * Display names of Slack users and user groups for whoever reads the record outside Slack (the
 * postmortem document, the incident page), cached in Redis. Whatever fails falls back to the id.
 */
export class PeopleDirectory {
  private readonly ttlMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: PeopleDirectoryOptions) {
    this.ttlMs = options.ttlMs ?? 24 * 3_600_000;
    this.timeoutMs = options.lookupTimeoutMs ?? 2000;
  }

  /** A name for each of `ids` (looked up once each, cached), as a function that falls back to the id. */
  async namesOf(ids: readonly string[]): Promise<(id: string) => string> {
    const unique = [...new Set(ids.filter((id) => ID.test(id)))];
    const names = new Map<string, string>();
    if (unique.length > 0 && this.options.slack) {
      const keys = unique.map((id) => this.key(id));
      const cached = await this.options.redis.mget(...keys).catch(() => unique.map(() => null));
      const missing: string[] = [];
      unique.forEach((id, i) => {
        const value = cached[i];
        if (value === null || value === undefined) missing.push(id);
        else if (value !== FAILED) names.set(id, value);
      });
      for (const [id, name] of await this.lookUp(missing)) if (name) names.set(id, name);
    }
    return (id) => names.get(id) ?? id;
  }

  private async lookUp(ids: string[]): Promise<Map<string, string | undefined>> {
    const found = new Map<string, string | undefined>();
    const slack = this.options.slack;
    if (!slack || ids.length === 0) return found;
    const groups = ids.some((id) => id.startsWith('S'))
      ? await this.bounded(slack.userGroupNames()).catch(() => undefined)
      : {};
    await Promise.all(
      ids.map(async (id) => {
        const name = id.startsWith('S')
          ? groups?.[id]
          : await this.bounded(slack.userName(id)).catch(() => undefined);
        found.set(id, name);
        // Known: kept a day. Unknown or failed: tried again a minute later.
        const ttl = name ? this.ttlMs : 60_000;
        await this.options.redis.set(this.key(id), name ?? FAILED, 'PX', ttl).catch(() => undefined);
      }),
    );
    return found;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Slack did not answer in time')), this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private key(id: string): string {
    return this.options.prefix.key('people', id);
  }
}

/** The workspace's name lookups, when it has them (the shell's workspace does not). */
export function slackNamesOf(workspace: unknown): SlackNames | undefined {
  const candidate = workspace as Partial<SlackNames> | undefined;
  return typeof candidate?.userName === 'function' && typeof candidate.userGroupNames === 'function'
    ? (candidate as SlackNames)
    : undefined;
}
