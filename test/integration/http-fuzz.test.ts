/**
 * Thousands of generated requests (test/support/fuzz-requests.ts) against the real bot process:
 * HTTP mode, --role all, the incident pages, the queue dashboard and a metrics listener on. Every
 * one gets a well-formed answer below 500, the process stays up and /healthz answers 200 all along,
 * and nothing is recorded: Redis holds the same keys as after start-up, no job is queued, nothing is
 * posted to Slack. The requests come from one seed: FUZZ_SEED repeats a run, FUZZ_REQUESTS sizes it.
 */
import fc from 'fast-check';
import Redis from 'ioredis';
import { readButtonClick } from '../../src/http/slack-payloads';
import { ACK_ACTION_ID } from '../../src/incident/render-pager';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../src/remediation/render-remediation';
import { type FuzzRequest, fuzzRequest, wire } from '../support/fuzz-requests';
import { type RawResponse, rawRequest, rawSend } from '../support/raw-http';
import { keyFingerprint } from '../support/redis-fingerprint';
import { type SurfaceBot, startSurfaceBot, stillRunning } from '../support/surface-bot';
import { REDIS_URL } from '../support/test-config';
import { waitUntil } from '../support/wait-for';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const CONCURRENCY = 16;
const HEALTH_EVERY = 250;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** A well-formed answer below 500; a 405 for a path says what is allowed there. */
function problemWith(request: FuzzRequest, response: RawResponse): string | undefined {
  if (response.status === 0) return `no answer (${response.incomplete})`;
  if (response.status >= 500) return `${response.status} ${response.body.slice(0, 120)}`;
  if (response.status === 405 && request.method !== 'CONNECT' && !response.headers.allow)
    return '405 without Allow';
  return undefined;
}

const BUTTONS: unknown[] = [ACK_ACTION_ID, APPROVE_ACTION_ID, DENY_ACTION_ID];

/**
 * True for a click the bot took (200) on one of its buttons, in the shape its listeners read, with
 * `responseUrl` to answer at: each listener answers such a click there, once, after acking it.
 */
function answersAt(responseUrl: string, request: FuzzRequest, status: number): boolean {
  if (request.kind !== 'signed click' || status !== 200 || !request.signed) return false;
  const form = new URLSearchParams(request.signed.payload).get('payload');
  const click = JSON.parse(form ?? 'null') as {
    actions?: { action_id?: unknown }[];
    response_url?: unknown;
  } | null;
  const action = click?.actions?.[0];
  return (
    BUTTONS.includes(action?.action_id) &&
    click?.response_url === responseUrl &&
    readButtonClick(click, action).ok
  );
}

describe('the HTTP surface under fuzzing', () => {
  let surface: SurfaceBot;
  let redis: Redis;

  beforeAll(async () => {
    surface = await startSurfaceBot();
    redis = new Redis(REDIS_URL);
    // Idle start-up writes each queue's meta key within a second or so, and then the BullMQ version
    // into it: the keys are as they stay only once all six carry it.
    await waitUntil(
      async () => {
        const metas = await redis.keys(`${KeyPrefix.of(surface.config.prefix).pattern}:meta`);
        const versions = await Promise.all(metas.map((key) => redis.hget(key, 'version')));
        return metas.length >= 6 && versions.every((version) => version !== null);
      },
      10_000,
      'the meta key of each of the 6 queues, with its version',
    );
  });
  afterAll(async () => {
    redis.disconnect();
    await surface.stop();
  });

  it(`answers ${REQUESTS} generated requests well, stays up and healthy, and records nothing (seed ${SEED})`, async () => {
    const before = await keyFingerprint(redis, surface.config.prefix);
    const responseUrl = surface.slack.responseUrl('fuzz');
    const requests = fc.sample(fuzzRequest(responseUrl), {
      numRuns: REQUESTS,
      seed: SEED,
    });
    const failures: string[] = [];
    const statuses = new Map<string, number>();
    const started = performance.now();
    let next = 0;
    let sent = 0;
    let clicksToAnswer = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++] as FuzzRequest;
        const response = await rawRequest(surface.port, wire(r), {
          endAfterWrite: r.endAfterWrite,
          head: r.method === 'HEAD',
          timeoutMs: 8000,
        });
        if (answersAt(responseUrl, r, response.status)) clicksToAnswer++;
        const tally = `${r.kind} ${response.status}`;
        statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
        const problem = problemWith(r, response);
        if (problem)
          failures.push(
            `${r.kind} ${r.method} ${JSON.stringify(r.target)} ${JSON.stringify(r.headers)} ${JSON.stringify(r.body.toString('latin1').slice(0, 200))}: ${problem}`,
          );
        if (++sent % HEALTH_EVERY === 0) {
          const health = await rawSend(surface.port, 'GET', '/healthz');
          if (health.status !== 200)
            failures.push(`/healthz answered ${health.status} after ${sent} requests`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    expect(await stillRunning(surface.process)).toBe('running');
    expect((await rawSend(surface.port, 'GET', '/healthz')).status).toBe(200);
    expect({ seed: SEED, failures: failures.slice(0, 10), count: failures.length }).toEqual({
      seed: SEED,
      failures: [],
      count: 0,
    });

    // A click is answered at its response URL after the ack, once its handler has done (or, as
    // here, refused) its work: every click the bot took is answered before what was recorded is read.
    await surface.slack.waitFor(() => surface.slack.responsesTo('fuzz').length >= clicksToAnswer, 20_000);
    expect(surface.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    const after = await keyFingerprint(redis, surface.config.prefix);
    expect(Object.keys(after).filter((key) => key.endsWith(':id'))).toEqual([]);
    expect(after).toEqual(before);
    expect(surface.process.output).not.toContain('"level":"fatal"');
    expect(surface.process.output).not.toContain('HTTP request failed');
    console.log(
      `${REQUESTS} requests in ${seconds.toFixed(1)} s (seed ${SEED}); answers by kind:\n${[...statuses]
        .sort()
        .map(([tally, n]) => `  ${tally}: ${n}`)
        .join('\n')}`,
    );
  }, 120_000);
});
