/** The `verify:` section of an environment: HTTP and WebSocket steps that prove the main user path works. */
import { z } from 'zod';
import { duration, strictObject, text, uniqueList } from './schema-fields';
import { expecting, problem, quote } from './schema-messages';
import { capturedNames } from './template';
import {
  checkHttpFields,
  checkWebSocketFields,
  eventNames,
  headers,
  isWebSocketUrl,
  jsonPath,
  requestBody,
  sendMessages,
  statusCodes,
  stepUrl,
  variableName,
} from './verify-step-fields';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const MAX_VERIFY_STEPS = 10;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
export const MAX_STEP_TIMEOUT_MS = 60_000;

/** One HTTP request of `/incident verify`. Templates may hold `${env:NAME}` and `${captured}`. */
export interface HttpVerifyStep {
  name: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The statuses that count as success; at least one. */
  expectStatus: number[];
  /** Variable name → dotted path of a value in the JSON response body (`data.session.token`, `items.0.id`). */
  capture: Record<string, string>;
  timeoutMs: number;
}

/**
 * One WebSocket conversation (a `ws://` or `wss://` URL): connect with the headers, send the
 * messages in order, then wait until every expected event has arrived. Templates as for HTTP steps.
 */
export interface WebSocketVerifyStep {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Text messages sent once the socket is open, in order; may be empty. */
  send: string[];
  /** Names matched against a JSON message's `type` or `event`, or contained in a text message; at least one. */
  expectEvents: string[];
  timeoutMs: number;
  // Absent, so code reading any step may ask for them.
  method?: never;
  body?: never;
  expectStatus?: never;
  capture?: never;
}

export type VerifyStep = HttpVerifyStep | WebSocketVerifyStep;

/** True for a step that opens a WebSocket rather than sending an HTTP request. */
export const isWebSocketStep = (step: VerifyStep): step is WebSocketVerifyStep => 'expectEvents' in step;

export interface VerifyConfig {
  /** Run in order; empty when the environment configures none. */
  steps: VerifyStep[];
}

const step = strictObject(
  {
    name: text(
      /^[a-z][a-z0-9-]{0,49}$/,
      'step name',
      'use lowercase letters, digits and hyphens, starting with a letter, e.g. login.',
      'login',
    ),
    method: z
      .enum(HTTP_METHODS, {
        error: (issue) =>
          problem(
            `${quote(issue.input)} is not an HTTP method.`,
            `write one of: ${HTTP_METHODS.join(', ')}.`,
          ),
      })
      .optional(),
    url: stepUrl,
    headers: headers.default({}),
    body: requestBody.optional(),
    expectStatus: statusCodes.optional(),
    capture: z
      .record(variableName, jsonPath, {
        error: expecting('a mapping of variable names to JSON paths', '{ token: access_token }'),
      })
      .optional(),
    timeout: duration(1_000, MAX_STEP_TIMEOUT_MS).optional(),
    send: sendMessages.optional(),
    expectEvents: eventNames.optional(),
  },
  'a verification step',
  '{ name: login, method: POST, url: "https://auth.staging.example.com/api/login" }',
)
  .superRefine((raw, ctx) => {
    if (isWebSocketUrl(raw.url)) checkWebSocketFields(raw, ctx);
    else checkHttpFields(raw, ctx);
  })
  .transform(({ timeout, method, expectStatus, capture, send, expectEvents, ...raw }): VerifyStep => {
    const timeoutMs = timeout ?? DEFAULT_STEP_TIMEOUT_MS;
    if (expectEvents !== undefined) {
      return {
        name: raw.name,
        url: raw.url,
        headers: raw.headers,
        send: send ?? [],
        expectEvents,
        timeoutMs,
      };
    }
    return {
      ...raw,
      method: method ?? 'GET',
      expectStatus: expectStatus ?? [200],
      capture: capture ?? {},
      timeoutMs,
    };
  });

/** The templates of a step, each with its path in the step. */
function templatesOf(s: VerifyStep): [PropertyKey[], string][] {
  const own: [PropertyKey[], string | undefined][] = isWebSocketStep(s)
    ? (s.send ?? []).map((message, i): [PropertyKey[], string] => [['send', i], message])
    : [[['body'], s.body]];
  return [
    [['url'], s.url],
    ...Object.entries(s.headers).map(([name, value]): [PropertyKey[], string] => [['headers', name], value]),
    ...own.flatMap(([path, value]): [PropertyKey[], string][] =>
      value === undefined ? [] : [[path, value]],
    ),
  ];
}

/**
 * Names every `${name}` that no earlier step captures, and a name captured twice. Runs even when a
 * step failed to parse, so that step comes as written, without its defaults.
 */
function checkVariables(steps: readonly VerifyStep[], ctx: z.RefinementCtx): void {
  const capturedBy = new Map<string, string>();
  steps.forEach((s, index) => {
    const capture = (isWebSocketStep(s) ? undefined : s.capture) ?? {};
    for (const [path, value] of templatesOf(s)) {
      for (const name of capturedNames(value)) {
        if (capturedBy.has(name)) continue;
        const late = name in capture ? ' (its own capture only happens after the request)' : '';
        ctx.addIssue({
          code: 'custom',
          path: [index, ...path],
          message: problem(
            `Step ${quote(s.name)} uses \${${name}}, but no earlier step captures it${late}.`,
            `capture it in an earlier step (capture: { ${name}: access_token }), or read it from Warroom's environment with \${env:${name.toUpperCase()}}.`,
          ),
        });
      }
    }
    for (const name of Object.keys(capture)) {
      const earlier = capturedBy.get(name);
      if (earlier) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'capture', name],
          message: problem(
            `${quote(name)} is already captured by step ${quote(earlier)}.`,
            'give this capture another name.',
          ),
        });
      } else capturedBy.set(name, s.name);
    }
  });
}

const steps = uniqueList(
  step,
  'step',
  '[{ name: login, method: POST, url: "https://auth.staging.example.com/api/login" }]',
  (s) => s.name,
).superRefine((list, ctx) => {
  if (list.length > MAX_VERIFY_STEPS) {
    ctx.addIssue({
      code: 'custom',
      message: problem(
        `${list.length} steps are listed; at most ${MAX_VERIFY_STEPS} are allowed.`,
        'keep the steps that prove the main user path (e.g. log in, then ask for an AI response) and remove the rest.',
      ),
    });
  }
  checkVariables(list, ctx);
});

/** `environments.<name>.verify`; defaults to no steps. */
export const verifySchema = strictObject(
  { steps: steps.default([]) },
  'verification settings',
  '{ steps: [{ name: login, method: POST, url: "https://auth.staging.example.com/api/login" }] }',
).default({ steps: [] });
