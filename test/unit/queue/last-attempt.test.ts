import { UnrecoverableError } from 'bullmq';
import {
  type AttemptCount,
  failedForGood,
  failsForGood,
  isLastAttempt,
} from '../../../src/queue/last-attempt';

/** A job as BullMQ hands it over: `attemptsMade` counts the attempts that ended before this one. */
const job = (attemptsMade: number, attempts?: number): AttemptCount => ({
  attemptsMade,
  opts: attempts === undefined ? {} : { attempts },
});
const retryable = new Error('Google Cloud did not answer');
const unrecoverable = new UnrecoverableError('permission denied');

describe('the last attempt of a job, inside its processor', () => {
  it.each<[string, AttemptCount, boolean]>([
    ['the first of three', job(0, 3), false],
    ['the second of three', job(1, 3), false],
    ['the third of three', job(2, 3), true],
    ['the only one, when attempts are not set', job(0), true],
  ])('%s: last is %s', (_, given, last) => {
    expect(isLastAttempt(given)).toBe(last);
  });

  it.each<[string, AttemptCount, Error, boolean]>([
    ['a retryable error before the last attempt', job(0, 3), retryable, false],
    ['a retryable error on the last attempt', job(2, 3), retryable, true],
    ['an UnrecoverableError on the first attempt', job(0, 3), unrecoverable, true],
    [
      'an UnrecoverableError from another copy of BullMQ (known by its name)',
      job(0, 3),
      Object.assign(new Error('no'), { name: 'UnrecoverableError' }),
      true,
    ],
  ])('%s fails the job for good: %s', (_, given, error, forGood) => {
    expect(failsForGood(given, error)).toBe(forGood);
  });
});

describe('a job BullMQ gave up on, in a failed listener', () => {
  // By the time `failed` is emitted BullMQ has counted the attempt that just failed.
  it.each<[string, AttemptCount, Error, boolean]>([
    ['a retryable failure of the first of three attempts', job(1, 3), retryable, false],
    ['a retryable failure of the third of three attempts', job(3, 3), retryable, true],
    ['an UnrecoverableError thrown by the processor', job(1, 3), unrecoverable, true],
    [
      'a job that stalled too often (failed by the next worker with an UnrecoverableError)',
      job(1, 3),
      new UnrecoverableError('job stalled more than allowable limit'),
      true,
    ],
  ])('%s: gave up is %s', (_, given, error, gaveUp) => {
    expect(failedForGood(given, error)).toBe(gaveUp);
  });
});
