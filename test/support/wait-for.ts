import { waitUntilIdle } from '../../src/wiring/wait-until-idle';

/** Polls `predicate` until it holds; rejects after `timeoutMs` with `describe()` in the message. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 5000,
  describe: () => string = () => predicate.toString(),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Polls `check` (which may be async) until it holds; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Polls `check` until it holds three looks in a row, as the bot's own `waitUntilIdle` does; rejects
 * after `timeoutMs` naming `what`. For a state read in several steps that a finishing piece of work
 * can pass between (a job hands its message to the outbox as it completes), so one good look is not
 * proof.
 */
export async function waitUntilSteady(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (!(await waitUntilIdle(async () => check(), timeoutMs))) {
    throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Polls `read` until it gives a value (not undefined) and resolves with it; rejects after `timeoutMs`. */
export async function waitForValue<T>(
  read: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let value: T | undefined;
  await waitUntil(
    async () => {
      value = await read();
      return value !== undefined;
    },
    timeoutMs,
    what,
  );
  return value as T;
}
