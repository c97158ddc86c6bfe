import { ErrorCode } from '@slack/web-api';

/** Slack error codes that can go away on their own; any other platform error is final. */
const TRANSIENT_CODES = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * A Slack Web API call Slack refused or that could not complete. `code` is Slack's error code (`missing_scope`,
 * `channel_not_found`…), `ratelimited`, `http_<status>`, `request_failed`, `malformed_response` or `unexpected`.
 * `permanent` means the same call cannot succeed later; otherwise retry, after `retryAfterMs` when Slack asked us to
 * wait (set only when rate limited). The message names the method and code, never the token; the client's error is
 * not kept, as it holds the request.
 */
export class SlackApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SlackApiError';
  }
}

/**
 * Whatever @slack/web-api threw for `method`, as a {@link SlackApiError}. Matched by `code` rather than instanceof,
 * so it holds even if two copies of the package are installed. A missing scope names the scope to add, the fix an
 * operator needs.
 */
export function toSlackApiError(error: unknown, method: string): SlackApiError {
  const e = error as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: Record<string, unknown>;
  };
  if (e?.code === ErrorCode.RateLimitedError) return rateLimited(method, Number(e.retryAfter ?? 1) * 1000);
  const code =
    e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
  if (code === 'ratelimited') {
    const retryAfter = (e.data?.response_metadata as { retryAfter?: number } | undefined)?.retryAfter ?? 1;
    return rateLimited(method, retryAfter * 1000);
  }
  if (code !== undefined) {
    const needed = e.data?.needed;
    const hint =
      code === 'missing_scope' && typeof needed === 'string'
        ? ` (needs ${needed}: add it to manifest.yml oauth_config.scopes.bot and reinstall the app)`
        : '';
    return new SlackApiError(`Slack ${method} failed: ${code}${hint}`, code, !TRANSIENT_CODES.has(code));
  }
  if (e?.code === ErrorCode.HTTPError) {
    const status = Number(e.statusCode);
    return new SlackApiError(
      `Slack ${method} failed with HTTP ${status}`,
      `http_${status}`,
      status < 500 && status !== 408,
    );
  }
  if (e?.code === ErrorCode.RequestError) {
    return new SlackApiError(`Slack ${method} could not be reached`, 'request_failed', false);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new SlackApiError(`Slack ${method} failed: ${reason}`, 'unexpected', false);
}

function rateLimited(method: string, retryAfterMs: number): SlackApiError {
  return new SlackApiError(
    `Slack ${method} was rate limited; retry after ${retryAfterMs} ms`,
    'ratelimited',
    false,
    retryAfterMs,
  );
}
