import { ErrorCode } from '@slack/web-api';
import { toSlackApiError } from '../../../src/slack/slack-api-error';

/** An error shaped as WebClient throws for `{ ok: false, … }`. */
function platformError(data: Record<string, unknown>): unknown {
  return Object.assign(new Error(`An API error occurred: ${data.error}`), {
    code: ErrorCode.PlatformError,
    data: { ok: false, ...data },
  });
}

describe('toSlackApiError', () => {
  it('names the scope a missing_scope refusal needs, as the fix', () => {
    const error = toSlackApiError(
      platformError({ error: 'missing_scope', needed: 'channels:manage', provided: 'chat:write' }),
      'conversations.create',
    );
    expect(error).toMatchObject({ code: 'missing_scope', permanent: true });
    expect(error.message).toBe(
      'Slack conversations.create failed: missing_scope (needs channels:manage: add it to manifest.yml ' +
        'oauth_config.scopes.bot and reinstall the app)',
    );
  });

  it.each([
    ['internal_error', false],
    ['fatal_error', false],
    ['restricted_action', true],
    ['invalid_name_specials', true],
    ['not_authed', true],
  ])('treats %s as permanent: %s', (code, permanent) => {
    expect(toSlackApiError(platformError({ error: code }), 'x.y')).toMatchObject({ code, permanent });
  });

  it('keeps Retry-After from a rate-limited call', () => {
    const limited = Object.assign(new Error('rate limited'), {
      code: ErrorCode.RateLimitedError,
      retryAfter: 12,
    });
    expect(toSlackApiError(limited, 'conversations.list')).toMatchObject({
      code: 'ratelimited',
      permanent: false,
      retryAfterMs: 12_000,
    });
  });
});
