import { setMaxListeners } from 'node:events';
import { raceAbort } from '../../gcp/retry';
import type { CheckName, Finding } from '../finding';
import { cannotRunJudgement } from './cannot-run';
import { type Judgement, scrubJudgement } from './judgement';

/** The deadline the orchestrator gives each check; probes with their own timeouts stay below it. */
export const DEFAULT_CHECK_DEADLINE_MS = 20_000;

/**
 * Settles with `work`, or rejects with a `timeout` GcpError as soon as `signal` aborts, so a call
 * that ignores the signal cannot keep a check past its deadline.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return raceAbort(work, signal, "the check's calls");
}

/**
 * Runs a check's collect-and-judge step and never rejects: any error, including the deadline,
 * becomes an `unknown` Finding that says why. Adds the elapsed time and scrubs credentials from the
 * text (scrubJudgement), whatever the check quoted. The work gets a signal of its
 * own that follows the caller's: a check makes many calls, each listening on it, and this keeps
 * those listeners off the caller's signal (and Node's listener-leak warning quiet).
 */
export async function runJudged<C extends { signal: AbortSignal }>(
  check: CheckName,
  context: C,
  work: (context: C) => Promise<Judgement>,
): Promise<Finding> {
  const started = performance.now();
  const own = new AbortController();
  setMaxListeners(200, own.signal);
  const follow = () => own.abort(context.signal.reason);
  if (context.signal.aborted) follow();
  else context.signal.addEventListener('abort', follow, { once: true });
  let judgement: Judgement;
  try {
    judgement = await untilAborted(
      Promise.resolve().then(() => work({ ...context, signal: own.signal })),
      own.signal,
    );
  } catch (error) {
    judgement = cannotRunJudgement(check, error);
  } finally {
    context.signal.removeEventListener('abort', follow);
  }
  return { ...scrubJudgement(judgement), durationMs: Math.round(performance.now() - started) };
}
