/** The `verify:` section of an environment: HTTP steps that prove the main user path works. */
import { z } from 'zod';
import { duration, strictObject, text, uniqueList } from './schema-fields';
import { expecting, problem, quote } from './schema-messages';
import { capturedNames } from './template';
import { headers, jsonPath, requestBody, statusCodes, stepUrl, variableName } from './verify-step-fields';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const MAX_VERIFY_STEPS = 10;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
export const MAX_STEP_TIMEOUT_MS = 60_000;

/** One HTTP request of `/incident verify`. Templates may hold `${env:NAME}` and `${captured}`. */
export interface VerifyStep {
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
      .default('GET'),
    url: stepUrl,
    headers: headers.default({}),
    body: requestBody.optional(),
    expectStatus: statusCodes.optional(),
    capture: z
      .record(variableName, jsonPath, {
        error: expecting('a mapping of variable names to JSON paths', '{ token: access_token }'),
      })
      .default({}),
    timeout: duration(1_000, MAX_STEP_TIMEOUT_MS).optional(),
  },
  'a verification step',
  '{ name: login, method: POST, url: "https://auth.staging.example.com/api/login" }',
)
  .superRefine((raw, ctx) => {
    if (raw.body !== undefined && (raw.method === 'GET' || raw.method === 'HEAD')) {
      const fix = 'use method: POST (or PUT, PATCH), or remove the body.';
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: problem(`A ${raw.method} request cannot have a body.`, fix),
      });
    }
    if (raw.method === 'HEAD' && Object.keys(raw.capture).length > 0) {
      const fix = 'use method: GET (or POST) for a step that captures, or remove capture.';
      ctx.addIssue({
        code: 'custom',
        path: ['capture'],
        message: problem('A HEAD response has no body to capture from.', fix),
      });
    }
  })
  .transform(
    ({ timeout, expectStatus, ...raw }): VerifyStep => ({
      ...raw,
      expectStatus: expectStatus ?? [200],
      timeoutMs: timeout ?? DEFAULT_STEP_TIMEOUT_MS,
    }),
  );

/** Names every `${name}` that no earlier step captures, and a name captured twice. */
function checkVariables(steps: readonly VerifyStep[], ctx: z.RefinementCtx): void {
  const capturedBy = new Map<string, string>();
  steps.forEach((s, index) => {
    const fields: [PropertyKey[], string | undefined][] = [
      [['url'], s.url],
      ...Object.entries(s.headers).map(([name, value]): [PropertyKey[], string] => [
        ['headers', name],
        value,
      ]),
      [['body'], s.body],
    ];
    for (const [path, value] of fields) {
      for (const name of capturedNames(value ?? '')) {
        if (capturedBy.has(name)) continue;
        const late = name in s.capture ? ' (its own capture only happens after the request)' : '';
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
    for (const name of Object.keys(s.capture)) {
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
