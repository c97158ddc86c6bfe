import { ChatDeliveryError, ChatRateLimitedError } from './chat-sink';

/** What to do with a channel whose head operation just failed. */
export type FailureDecision =
  | { kind: 'retryAt'; at: number; reason: 'rateLimited' | 'transient' }
  | { kind: 'drop'; code: string };

export interface FailurePolicy {
  /** Transient failures of one operation before it is dropped, so one bad call cannot block a channel. */
  maxTransientAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_FAILURE_POLICY: FailurePolicy = {
  maxTransientAttempts: 10,
  baseBackoffMs: 1000,
  maxBackoffMs: 60_000,
};

/** Exponential backoff for the n-th (1-based) consecutive transient failure, capped. */
export function backoffMs(attempt: number, policy: FailurePolicy = DEFAULT_FAILURE_POLICY): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(policy.baseBackoffMs * 2 ** exponent, policy.maxBackoffMs);
}

/**
 * Decides a failed operation's fate. A 429 never counts as a failure (the service told us when to
 * come back); a permanent error drops the operation at once; anything else, including errors we
 * do not recognise, backs off until `maxTransientAttempts` is reached.
 */
export function decideOnFailure(
  error: unknown,
  attempt: number,
  now: number,
  policy: FailurePolicy = DEFAULT_FAILURE_POLICY,
): FailureDecision {
  if (error instanceof ChatRateLimitedError) {
    return { kind: 'retryAt', at: now + Math.max(0, error.retryAfterMs), reason: 'rateLimited' };
  }
  if (error instanceof ChatDeliveryError && error.permanent) return { kind: 'drop', code: error.code };
  if (attempt >= policy.maxTransientAttempts) {
    return { kind: 'drop', code: error instanceof ChatDeliveryError ? error.code : 'too_many_failures' };
  }
  return { kind: 'retryAt', at: now + backoffMs(attempt, policy), reason: 'transient' };
}
