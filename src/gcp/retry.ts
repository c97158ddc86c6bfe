import { isRetryable } from './classify-error';
import { GcpError } from './cloud-gateway';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; doubles each time, with jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200 };

export interface RetryOptions {
  policy: RetryPolicy;
  /** The check's deadline: stops the attempt in flight and any wait for the next one. */
  signal?: AbortSignal;
  /** What the call was, for the timeout message. */
  operation: string;
  classify(error: unknown): GcpError;
  onRetry?(error: GcpError, attempt: number, delayMs: number): void;
  random?: () => number;
}

const timeoutError = (operation: string): GcpError =>
  new GcpError(`${operation}: no answer before the check's deadline`, 'timeout');

/**
 * Settles with `promise`, or rejects with a timeout GcpError as soon as `signal` aborts — the
 * caller gets its answer on time even when the request underneath ignores the abort and hangs.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // it lost the race; its rejection is expected and unwanted
    return Promise.reject(timeoutError(operation));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(timeoutError(operation));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Full-range jitter around an exponential step: attempt 1 waits base×[0.5, 1.5), attempt 2 twice that. */
export const backoffDelay = (
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number => Math.round(policy.baseDelayMs * 2 ** (retry - 1) * (0.5 + random()));

const sleep = (ms: number, signal: AbortSignal | undefined, operation: string): Promise<void> =>
  raceAbort(new Promise((done) => setTimeout(done, ms).unref()), signal, operation);

/**
 * Runs `attempt` until it succeeds, fails with something not worth retrying (see `isRetryable`),
 * runs out of attempts, or the signal aborts. Each attempt gets its own signal, aborted with the
 * outer one, so the client library can drop the request it has in flight.
 */
export async function withRetry<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { policy, signal, operation } = options;
  for (let n = 1; ; n++) {
    const controller = new AbortController();
    const forward = () => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      return await raceAbort(
        Promise.resolve().then(() => attempt(controller.signal)),
        signal,
        operation,
      );
    } catch (error) {
      const failure = options.classify(error);
      if (signal?.aborted) throw timeoutError(operation);
      if (!isRetryable(failure) || n >= policy.attempts) throw failure;
      const delay = backoffDelay(policy, n, options.random);
      options.onRetry?.(failure, n, delay);
      await sleep(delay, signal, operation);
    } finally {
      signal?.removeEventListener('abort', forward);
      controller.abort();
    }
  }
}
