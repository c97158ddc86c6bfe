/** How `WebApiWorkspace` makes its calls: Slack's errors become {@link SlackApiError}, expected ones values. */
import { SlackApiError, toSlackApiError } from './slack-api-error';

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
    const failure = toSlackApiError(error, method);
    if (expected.includes(failure.code)) return { ok: false, code: failure.code };
    throw failure;
  }
}

/** Runs a call; any Slack error is thrown as a SlackApiError. */
export async function workspaceCall<T>(method: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toSlackApiError(error, method);
  }
}

/** Slack said ok but left out what the call exists for. */
export function malformedResponse(method: string, what: string): SlackApiError {
  return new SlackApiError(`Slack accepted ${method} but returned ${what}`, 'malformed_response', false);
}
