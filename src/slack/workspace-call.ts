/** How `WebApiWorkspace` makes its calls: Slack's errors become {@link SlackWorkspaceError}, expected ones values. */
import { ChatDeliveryError, ChatRateLimitedError } from '../chat/chat-sink';
import { toChatError } from './slack-chat-sink';
import { SlackWorkspaceError } from './slack-workspace';

/** A call's answer, or the Slack error code it was refused with when that code was expected. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

/** Runs a call; a Slack error whose code is `expected` comes back as a value, anything else is thrown. */
export async function workspaceAttempt<T>(
  method: string,
  send: () => Promise<T>,
  expected: string[],
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await send() };
  } catch (error) {
    const failure = toWorkspaceError(error, method);
    if (expected.includes(failure.code)) return { ok: false, code: failure.code };
    throw failure;
  }
}

/** Runs a call; any Slack error is thrown as a SlackWorkspaceError. */
export async function workspaceCall<T>(method: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toWorkspaceError(error, method);
  }
}

/** Slack said ok but left out what the call exists for. */
export function malformedResponse(method: string, what: string): SlackWorkspaceError {
  return new SlackWorkspaceError(
    `Slack accepted ${method} but returned ${what}`,
    'malformed_response',
    false,
  );
}

/**
 * Maps an error from @slack/web-api with the outbox's rules (`toChatError`), so both agree on what is transient.
 * A missing scope names the scope to add, the fix an operator needs.
 */
export function toWorkspaceError(error: unknown, method: string): SlackWorkspaceError {
  const mapped = toChatError(error, method);
  if (mapped instanceof ChatRateLimitedError) {
    return new SlackWorkspaceError(
      `Slack ${method} was rate limited; retry after ${mapped.retryAfterMs} ms`,
      'ratelimited',
      false,
      mapped.retryAfterMs,
    );
  }
  if (!(mapped instanceof ChatDeliveryError))
    return new SlackWorkspaceError(mapped.message, 'unexpected', false);
  const needed = (error as { data?: { needed?: unknown } }).data?.needed;
  const hint =
    mapped.code === 'missing_scope' && typeof needed === 'string'
      ? ` (needs ${needed}: add it to manifest.yml oauth_config.scopes.bot and reinstall the app)`
      : '';
  return new SlackWorkspaceError(`${mapped.message}${hint}`, mapped.code, mapped.permanent);
}
