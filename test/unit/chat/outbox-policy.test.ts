import { ChatDeliveryError, ChatRateLimitedError } from '../../../src/chat/chat-sink';
import { backoffMs, DEFAULT_FAILURE_POLICY, decideOnFailure } from '../../../src/chat/outbox-policy';

const NOW = 1_000_000;
const transient = new ChatDeliveryError('Slack could not be reached', 'request_failed', false);

describe('outbox failure policy', () => {
  it('comes back exactly when a 429 says, however often it happened', () => {
    expect(decideOnFailure(new ChatRateLimitedError(3000), 0, NOW)).toEqual({
      kind: 'retryAt',
      at: NOW + 3000,
      reason: 'rateLimited',
    });
    expect(decideOnFailure(new ChatRateLimitedError(3000), 99, NOW)).toMatchObject({ kind: 'retryAt' });
  });

  it('drops an operation the service refused for good, on the first failure', () => {
    const refused = new ChatDeliveryError('Slack said channel_not_found', 'channel_not_found', true);
    expect(decideOnFailure(refused, 1, NOW)).toEqual({ kind: 'drop', code: 'channel_not_found' });
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [7, 60_000],
    [50, 60_000],
  ])('backs off transient failure %i by %i ms, capped', (attempt, delay) => {
    expect(backoffMs(attempt)).toBe(delay);
  });

  it('retries a transient failure after its backoff', () => {
    expect(decideOnFailure(transient, 3, NOW)).toEqual({
      kind: 'retryAt',
      at: NOW + 4000,
      reason: 'transient',
    });
  });

  it('gives up after the last allowed transient attempt so the channel is not blocked for ever', () => {
    const last = DEFAULT_FAILURE_POLICY.maxTransientAttempts;
    expect(decideOnFailure(transient, last - 1, NOW)).toMatchObject({ kind: 'retryAt' });
    expect(decideOnFailure(transient, last, NOW)).toEqual({ kind: 'drop', code: 'request_failed' });
    expect(decideOnFailure(new Error('socket hang up'), last, NOW)).toEqual({
      kind: 'drop',
      code: 'too_many_failures',
    });
  });

  it('treats errors it does not recognise as transient', () => {
    expect(decideOnFailure(new TypeError('x is undefined'), 1, NOW)).toMatchObject({
      kind: 'retryAt',
      reason: 'transient',
    });
  });
});
