import type { VerifyStep } from '../config/schema';
import { capturedNames } from '../config/template';
import { type HttpVerifyStep, isWebSocketStep } from '../config/verify-schema';
import { redact } from '../diag/checks/dsn';
import { formatMs } from '../diag/checks/judgement';
import { valueAtPath } from './json-path';
import { displayStepUrl, type Substituted, substitute, type Variables } from './substitute';
import { type EventArrival, runWebSocketStep } from './websocket-step';

/** What one step did. Never holds a captured value or an environment value. */
export interface StepResult {
  name: string;
  /** The HTTP method, or WS for a WebSocket step. */
  method: string;
  /** Origin and path as written in the config, placeholders as names. */
  url: string;
  status?: number;
  ms: number;
  outcome: 'pass' | 'fail' | 'skipped';
  reason?: string;
  /** A WebSocket step's expected events, each with when it arrived (from the socket opening) if it did. */
  events?: EventArrival[];
}

export interface RunStepsOptions {
  /** Where `${env:NAME}` is read from. */
  env: NodeJS.ProcessEnv;
  /** Stops the run: the step in flight fails, later ones are skipped. */
  signal?: AbortSignal;
  /** Node's fetch unless given. */
  fetchImpl?: typeof fetch;
}

type Outcome = Omit<StepResult, 'name' | 'method' | 'url' | 'ms'> & { captured?: Map<string, string> };

/**
 * Runs the steps in order. The first step that fails ends the run: later ones are `skipped` with
 * the reason. Never rejects. Captured and environment values are secrets: they go into requests
 * only, and are scrubbed from every reason, with anything else shaped like a credential, as a second
 * line of defence.
 */
export async function runSteps(
  steps: readonly VerifyStep[],
  options: RunStepsOptions,
): Promise<StepResult[]> {
  const captured = new Map<string, string>();
  const secrets: string[] = [];
  const results: StepResult[] = [];
  let failed: string | undefined;
  for (const step of steps) {
    const method = isWebSocketStep(step) ? 'WS' : step.method;
    const base = { name: step.name, method, url: displayStepUrl(step.url) };
    if (failed !== undefined) {
      results.push({ ...base, ms: 0, outcome: 'skipped', reason: skipReason(step, failed, captured) });
      continue;
    }
    const started = performance.now();
    const { captured: values, ...outcome } = await runStep(
      step,
      { env: options.env, captured },
      secrets,
      options,
    );
    results.push({ ...base, ...outcome, ms: Math.round(performance.now() - started) });
    for (const [name, value] of values ?? []) {
      captured.set(name, value);
      secrets.push(value);
    }
    if (outcome.outcome === 'fail') failed = step.name;
  }
  const hidden = secrets.filter((secret) => secret.length >= 4); // shorter values would garble text
  // Redacted before it is cut, so a cut cannot leave half a secret that no longer matches.
  return results.map((r) => (r.reason ? { ...r, reason: redact(r.reason, hidden).slice(0, 300) } : r));
}

function skipReason(step: VerifyStep, failed: string, captured: ReadonlyMap<string, string>): string {
  const templates = [step.url, step.body ?? '', ...messagesOf(step), ...Object.values(step.headers)];
  const missing = [...new Set(templates.flatMap(capturedNames))].filter((name) => !captured.has(name));
  const needs =
    missing.length > 0 ? `, so ${missing.map((n) => `\${${n}}`).join(', ')} is not available` : '';
  return `not run: step ${failed} failed${needs}`;
}

async function runStep(
  step: VerifyStep,
  variables: Variables,
  secrets: string[],
  options: RunStepsOptions,
): Promise<Outcome> {
  const request = resolveRequest(step, variables);
  if (!request.ok) return { outcome: 'fail', reason: `not sent: ${request.reason}` };
  secrets.push(...request.secrets);
  if (isWebSocketStep(step)) return runWebSocketStep(step, request, options.signal);
  return runHttpStep(step, request, options);
}

async function runHttpStep(
  step: HttpVerifyStep,
  request: Request,
  options: RunStepsOptions,
): Promise<Outcome> {
  const timeout = AbortSignal.timeout(step.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failure = (error: unknown, status?: number): Outcome => ({
    outcome: 'fail',
    status,
    reason: timeout.aborted
      ? `no answer within ${formatMs(step.timeoutMs)}`
      : options.signal?.aborted
        ? 'stopped before it finished (the verification was cancelled or ran out of time)'
        : `request failed: ${errorCode(error)}`,
  });
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(request.url, {
      method: step.method,
      headers: { 'user-agent': 'warroom-verify', ...request.headers },
      body: request.body,
      signal,
    });
  } catch (error) {
    return failure(error);
  }
  const { status } = response;
  const names = Object.keys(step.capture);
  if (!step.expectStatus.includes(status) || names.length === 0) {
    await response.body?.cancel().catch(() => undefined); // the status is the answer; free the socket
    return step.expectStatus.includes(status)
      ? { outcome: 'pass', status }
      : { outcome: 'fail', status, reason: `answered ${status}, expected ${step.expectStatus.join(' or ')}` };
  }
  let json: unknown;
  try {
    const text = await response.text();
    json = JSON.parse(text);
  } catch (error) {
    if (signal.aborted) return failure(error, status);
    return {
      outcome: 'fail',
      status,
      reason: `the response body is not JSON, so ${names.join(', ')} cannot be captured`,
    };
  }
  const values = new Map<string, string>();
  for (const [name, path] of Object.entries(step.capture)) {
    const value = valueAtPath(json, path);
    if (value === undefined) {
      return {
        outcome: 'fail',
        status,
        reason: `the response body has no value at ${path}, so ${name} cannot be captured`,
      };
    }
    values.set(name, value);
  }
  return { outcome: 'pass', status, captured: values };
}

const messagesOf = (step: VerifyStep): string[] => (isWebSocketStep(step) ? step.send : []);

type Request = {
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What a WebSocket step sends, in order. */
  messages: string[];
  secrets: string[];
};

/** The step with every placeholder filled in, or the first variable that is not available. */
function resolveRequest(
  step: VerifyStep,
  variables: Variables,
): ({ ok: true } & Request) | { ok: false; reason: string } {
  const fill = (template: string) => substitute(template, variables);
  const filled: [string, Substituted][] = [
    ['url', fill(step.url)],
    ...Object.entries(step.headers).map(([name, value]): [string, Substituted] => [
      `header:${name}`,
      fill(value),
    ]),
    ...(step.body === undefined ? [] : [['body', fill(step.body)] as [string, Substituted]]),
    ...messagesOf(step).map((message, i): [string, Substituted] => [`send:${i}`, fill(message)]),
  ];
  const secrets: string[] = [];
  const text = new Map<string, string>();
  for (const [key, result] of filled) {
    if (!result.ok) return { ok: false, reason: result.reason };
    secrets.push(...result.secrets);
    text.set(key, result.text);
  }
  const headers = Object.fromEntries(
    Object.keys(step.headers).map((name) => [name, text.get(`header:${name}`) ?? '']),
  );
  const messages = messagesOf(step).map((_, i) => text.get(`send:${i}`) ?? '');
  return { ok: true, url: text.get('url') ?? '', headers, body: text.get('body'), messages, secrets };
}

/** A network error's code (ECONNREFUSED, ENOTFOUND, UND_ERR_…), or its message (cut once redacted). */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
