import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { ChatDeliveryError, ChatRateLimitedError } from '../../../src/chat/chat-sink';
import { toChatError } from '../../../src/slack/slack-chat-sink';

const platform = (error: string, extra: Record<string, unknown> = {}) =>
  new WebAPIPlatformError({ ok: false, error, ...extra });

describe('Slack errors as chat errors', () => {
  it('turns a rejected 429 into ChatRateLimitedError in milliseconds', () => {
    expect(toChatError(new WebAPIRateLimitedError(30), 'chat.update')).toEqual(
      new ChatRateLimitedError(30_000),
    );
  });

  it('turns a `ratelimited` platform error into ChatRateLimitedError, one second when Slack gives no time', () => {
    expect(toChatError(platform('ratelimited'), 'chat.postMessage')).toEqual(new ChatRateLimitedError(1000));
    const withTime = platform('ratelimited', { response_metadata: { retryAfter: 4 } });
    expect(toChatError(withTime, 'chat.postMessage')).toEqual(new ChatRateLimitedError(4000));
  });

  it.each([
    ['channel_not_found', true],
    ['is_archived', true],
    ['msg_too_long', true],
    ['invalid_blocks', true],
    ['not_in_channel', true],
    ['invalid_auth', true],
    ['message_not_found', true],
    ['some_future_error', true],
    ['internal_error', false],
    ['fatal_error', false],
    ['service_unavailable', false],
    ['request_timeout', false],
  ])('maps platform error %s (permanent: %p)', (code, permanent) => {
    const error = toChatError(platform(code), 'chat.postMessage');
    expect(error).toBeInstanceOf(ChatDeliveryError);
    expect(error).toMatchObject({ code, permanent, message: `Slack chat.postMessage failed: ${code}` });
  });

  it.each([
    [503, false],
    [500, false],
    [408, false],
    [400, true],
    [404, true],
  ])('maps HTTP %i left after the client’s retries (permanent: %p)', (status, permanent) => {
    const error = toChatError(new WebAPIHTTPError(status, 'x', {}, ''), 'chat.update');
    expect(error).toMatchObject({ code: `http_${status}`, permanent });
  });

  it('maps a network failure and an unknown error to transient delivery errors', () => {
    expect(toChatError(new WebAPIRequestError(new Error('ECONNRESET')), 'chat.update')).toMatchObject({
      code: 'request_failed',
      permanent: false,
    });
    expect(toChatError(new Error('boom'), 'chat.update')).toMatchObject({
      code: 'unexpected',
      permanent: false,
    });
  });
});
