import WebSocket from 'ws';
import type { WebSocketVerifyStep } from '../config/verify-schema';
import { formatMs } from '../diag/checks/judgement';
import { matchEvents } from './match-events';
import { displayStepUrl } from './substitute';

/** When an expected event arrived, counted from the socket opening; no `ms` when it never came. */
export interface EventArrival {
  name: string;
  ms?: number;
}

/** The step with its placeholders filled in: secrets, used only to connect and send. */
export interface WebSocketRequest {
  url: string;
  headers: Record<string, string>;
  messages: string[];
}

export interface WebSocketOutcome {
  outcome: 'pass' | 'fail';
  /** 101 once the handshake succeeded, the answer's status when the server rejected it. */
  status?: number;
  reason?: string;
  events: EventArrival[];
}

/** How long a server has to answer our close frame after a pass before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Opens the socket with the request's headers, sends its messages in order and waits until every
 * expected event has arrived, the server closes, the step's timeout passes or `signal` aborts.
 * Never rejects, and resolves only once the socket is closed (terminated on any failure).
 */
export function runWebSocketStep(
  step: WebSocketVerifyStep,
  request: WebSocketRequest,
  signal?: AbortSignal,
): Promise<WebSocketOutcome> {
  const arrived = new Map<string, number>();
  const events = (): EventArrival[] =>
    step.expectEvents.map((name) => {
      const ms = arrived.get(name);
      return ms === undefined ? { name } : { name, ms };
    });
  let socket: WebSocket;
  try {
    socket = new WebSocket(request.url, {
      headers: { 'user-agent': 'warroom-verify', ...request.headers },
      perMessageDeflate: false,
    });
  } catch (error) {
    // Both messages may quote a filled-in value, a secret: say which template or code instead.
    const reason =
      error instanceof SyntaxError
        ? `invalid URL: ${displayStepUrl(step.url)} does not make a valid ws:// or wss:// URL once filled in`
        : `not sent: a header is not valid once filled in (${(error as NodeJS.ErrnoException).code ?? 'rejected by Node'})`;
    return Promise.resolve({ outcome: 'fail', reason, events: events() });
  }
  return new Promise((resolve) => {
    let openedAt: number | undefined;
    let result: WebSocketOutcome | undefined;
    let grace: NodeJS.Timeout | undefined;
    const fail = (reason: string, status?: number) =>
      settle({ outcome: 'fail', status, reason, events: events() });
    const onAbort = () =>
      fail('stopped before it finished (the verification was cancelled or ran out of time)');
    const timer = setTimeout(() => fail(timedOut(step, openedAt !== undefined, events())), step.timeoutMs);

    function settle(outcome: WebSocketOutcome): void {
      if (result) return;
      result = outcome;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (socket.readyState === WebSocket.CLOSED) {
        resolve(outcome);
      } else if (outcome.outcome === 'pass') {
        socket.close(1000, 'verified');
        grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      } else {
        socket.terminate();
      }
    }

    socket.on('unexpected-response', (_request, response) => {
      response.resume(); // the status is the answer; free the socket
      fail(`handshake rejected: answered ${response.statusCode}, expected 101`, response.statusCode);
    });
    socket.on('error', (error) => fail(connectionFailure(error, openedAt !== undefined)));
    socket.on('open', () => {
      openedAt = performance.now();
      for (const message of request.messages) socket.send(message);
    });
    socket.on('message', (data, isBinary) => {
      const ms = Math.round(performance.now() - (openedAt ?? performance.now()));
      for (const name of matchEvents(data, isBinary, step.expectEvents)) {
        if (!arrived.has(name)) arrived.set(name, ms);
      }
      if (arrived.size === step.expectEvents.length) {
        settle({ outcome: 'pass', status: 101, events: events() });
      }
    });
    socket.on('close', (code) => {
      clearTimeout(grace);
      if (openedAt === undefined) fail('the connection closed during the handshake');
      else
        fail(`the server closed the socket (code ${code}) before ${missingThen(events(), ' arrived')}`, 101);
      resolve(result as WebSocketOutcome);
    });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** "hello after 12 ms, done after 230 ms": the events that arrived and when, in the order expected. */
export function describeArrivals(events: readonly EventArrival[]): string {
  return events.flatMap((e) => (e.ms === undefined ? [] : [`${e.name} after ${formatMs(e.ms)}`])).join(', ');
}

/** "done, typing arrived (hello after 12 ms)": the events still missing, `then`, and those that came. */
function missingThen(events: readonly EventArrival[], then: string): string {
  const missing = events.filter((e) => e.ms === undefined).map((e) => e.name);
  const came = describeArrivals(events);
  return `${missing.join(', ')}${then}${came ? ` (${came})` : ''}`;
}

function timedOut(step: WebSocketVerifyStep, opened: boolean, events: readonly EventArrival[]): string {
  const within = formatMs(step.timeoutMs);
  if (!opened)
    return `the handshake did not complete within ${within}, so no ${step.expectEvents.join(', ')}`;
  return `timed out after ${within} waiting for ${missingThen(events, '')}`;
}

/** Refused, unreachable or broken: the error's code (ECONNREFUSED, ENOTFOUND…), never the URL. */
function connectionFailure(error: Error, opened: boolean): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  const what = code ?? error.message;
  return opened ? `the socket failed: ${what}` : `could not connect: ${what}`;
}
