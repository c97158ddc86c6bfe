import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { IncidentLinks, TokenCheck, TokenPurpose, TokenScope } from './incident-links';

const field = (scope: TokenScope) => (scope === 'incident-list' ? 'list' : `incident:${scope.incidentId}`);

/**
 * How many times each scope's links were revoked, in one Redis hash. Revoking bumps the number;
 * every link and cookie signed for an earlier number stops verifying at once, on every replica.
 */
export class LinkGenerations {
  private readonly key: string;

  constructor(
    private readonly redis: Pick<RedisClient, 'hget' | 'hincrby'>,
    prefix: KeyPrefix,
  ) {
    this.key = prefix.key('web', 'link-generations');
  }

  async current(scope: TokenScope): Promise<number> {
    const value = Number(await this.redis.hget(this.key, field(scope)));
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  }

  revoke(scope: TokenScope): Promise<number> {
    return this.redis.hincrby(this.key, field(scope), 1);
  }
}

/**
 * Signed links with revocation: what messages, commands and the pages use. Each call reads the
 * scope's generation (one small Redis read), so a revoked link dies everywhere at once.
 */
export class RevocableLinks {
  constructor(
    private readonly links: IncidentLinks,
    private readonly generations: LinkGenerations,
  ) {}

  async incident(incidentId: string): Promise<string> {
    return this.links.incident(incidentId, await this.generations.current({ incidentId }));
  }

  async list(): Promise<string> {
    return this.links.list(await this.generations.current('incident-list'));
  }

  async check(
    scope: TokenScope,
    token: string | null | undefined,
    purpose: TokenPurpose = 'link',
  ): Promise<TokenCheck> {
    return this.links.check(scope, token, purpose, await this.generations.current(scope));
  }

  async cookieFor(scope: TokenScope, linkToken: string): Promise<string> {
    return this.links.cookieFor(scope, linkToken, await this.generations.current(scope));
  }

  /** Every link and cookie of `scope` issued so far stops working. */
  async revoke(scope: TokenScope): Promise<void> {
    await this.generations.revoke(scope);
  }

  get secure(): boolean {
    return this.links.secure;
  }
}
