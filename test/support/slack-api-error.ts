import type { Args } from './fake-slack-types';

/** Thrown by a fake Web API method to answer `{ ok: false, error: code, ...extra }`. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Args = {},
  ) {
    super(code);
  }
}
