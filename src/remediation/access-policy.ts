import { type AccessList, SLACK_GROUP_ID } from '../config/schema';
import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { SlackWorkspace } from '../slack/slack-workspace';

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/** Decides from the list alone when it can: `anyone`, a listed user, or a list without groups. */
export function decideDirectly(list: AccessList, user: string): AccessDecision | 'needs-groups' {
  if (list === 'anyone' || list.includes(user)) return { allowed: true };
  if (list.some((id) => SLACK_GROUP_ID.test(id))) return 'needs-groups';
  return { allowed: false, reason: 'not listed' };
}

export interface AccessPolicyOptions {
  redis: RedisClient;
  prefix: KeyPrefix;
  /** Expands user groups; absent in a process without Slack (the list then must name users). */
  workspace?: Pick<SlackWorkspace, 'expandUserGroup'>;
  /** Members of a group are cached this long (default 5 min). */
  cacheTtlMs?: number;
  /** A lookup that takes longer is treated as failed, so the command still answers in time. */
  lookupTimeoutMs?: number;
}

/**
 * Who may restart, roll back and approve. Lists name users (U…/W…) and user groups (S…); a group's
 * members are looked up in Slack (usergroups.users.list) and cached in Redis. When a lookup fails
 * the answer is no, with the reason: a guard that cannot check refuses.
 */
export class AccessPolicy {
  private readonly cacheTtlMs: number;
  private readonly lookupTimeoutMs: number;

  constructor(private readonly options: AccessPolicyOptions) {
    this.cacheTtlMs = options.cacheTtlMs ?? 5 * 60_000;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1500;
  }

  async check(list: AccessList, user: string): Promise<AccessDecision> {
    const direct = decideDirectly(list, user);
    if (direct !== 'needs-groups') return direct;
    const groups = (list as string[]).filter((id) => SLACK_GROUP_ID.test(id));
    for (const group of groups) {
      let members: string[];
      try {
        members = await this.members(group);
      } catch (error) {
        return {
          allowed: false,
          reason: `the members of user group ${group} could not be read from Slack (${(error as Error).message}); try again in a minute`,
        };
      }
      if (members.includes(user)) return { allowed: true };
    }
    return { allowed: false, reason: 'not listed, directly or through a user group' };
  }

  private async members(group: string): Promise<string[]> {
    const key = this.options.prefix.key('access', 'group', group);
    const cached = await this.options.redis.get(key);
    if (cached) return JSON.parse(cached) as string[];
    const workspace = this.options.workspace;
    if (!workspace) throw new Error('no Slack connection in this process');
    let timer: NodeJS.Timeout | undefined;
    const members = await Promise.race([
      workspace.expandUserGroup(group),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Slack did not answer in time')), this.lookupTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    await this.options.redis.set(key, JSON.stringify(members), 'PX', this.cacheTtlMs);
    return members;
  }
}
