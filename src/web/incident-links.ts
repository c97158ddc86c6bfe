import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link opens: one incident's page (and its live events), or the list of incidents. */
export type TokenScope = { incidentId: string } | 'incident-list';

/** How long a link works: long enough for a post-mortem, short enough that an old paste dies. */
export const LINK_TTL_MS = 14 * 24 * 3600_000;

const scopeText = (scope: TokenScope) =>
  scope === 'incident-list' ? 'list' : `incident:${scope.incidentId}`;

/** `link`: the token in a URL; `cookie`: the session a valid link sets (a different MAC, so one is not the other). */
export type TokenPurpose = 'link' | 'cookie';

/**
 * `generation` counts revocations of the scope's links: a link signed for an earlier generation no
 * longer verifies. Generation 0 (never revoked) signs what links signed before revocation existed.
 */
function mac(
  secret: string,
  scope: TokenScope,
  expiresAtSec: number,
  purpose: TokenPurpose,
  generation: number,
): string {
  const revoked = generation > 0 ? `\n${generation}` : '';
  return createHmac('sha256', secret)
    .update(`warroom-web-${purpose}\n${scopeText(scope)}\n${expiresAtSec}${revoked}`)
    .digest('base64url');
}

/** A token for `scope` valid until `expiresAt`: `<expiry seconds>.<HMAC-SHA256>`, safe in a URL. */
export function signToken(
  secret: string,
  scope: TokenScope,
  expiresAt: Date,
  purpose: TokenPurpose = 'link',
  generation = 0,
): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${mac(secret, scope, exp, purpose, generation)}`;
}

export type TokenCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'invalid' };

/** Checks a token for `scope` at `now`, in constant time. */
export function checkToken(
  secret: string,
  scope: TokenScope,
  token: string | null | undefined,
  now: Date,
  purpose: TokenPurpose = 'link',
  generation = 0,
): TokenCheck {
  if (!token) return { ok: false, reason: 'missing' };
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const exp = Number(match[1]);
  const given = Buffer.from(match[2] ?? '', 'base64url');
  const expected = Buffer.from(mac(secret, scope, exp, purpose, generation), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/** Builds the signed links messages carry; absent when the pages are off (no secret). */
export class IncidentLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
    private readonly now: () => Date = () => new Date(),
    private readonly ttlMs = LINK_TTL_MS,
  ) {}

  private base(): string {
    return this.publicUrl.replace(/\/+$/, '');
  }

  private expiry(): Date {
    // Rounded to the hour, so a header re-rendered within the hour keeps the same link (no edit).
    const at = this.now().getTime() + this.ttlMs;
    return new Date(Math.ceil(at / 3600_000) * 3600_000);
  }

  /** `generation`: how many times this incident's links were revoked (see `LinkGenerations`). */
  incident(incidentId: string, generation = 0): string {
    const token = signToken(this.secret, { incidentId }, this.expiry(), 'link', generation);
    return `${this.base()}/incidents/${encodeURIComponent(incidentId)}?token=${token}`;
  }

  list(generation = 0): string {
    const token = signToken(this.secret, 'incident-list', this.expiry(), 'link', generation);
    return `${this.base()}/incidents?token=${token}`;
  }

  check(
    scope: TokenScope,
    token: string | null | undefined,
    purpose: TokenPurpose = 'link',
    generation = 0,
  ): TokenCheck {
    return checkToken(this.secret, scope, token, this.now(), purpose, generation);
  }

  /** The cookie value a valid link is exchanged for; it expires with the link and is revoked with it. */
  cookieFor(scope: TokenScope, linkToken: string, generation = 0): string {
    const exp = Number(linkToken.split('.')[0]);
    return signToken(this.secret, scope, new Date(exp * 1000), 'cookie', generation);
  }

  /** Whether links are https, so cookies get `Secure`. */
  get secure(): boolean {
    return this.publicUrl.startsWith('https:');
  }
}
