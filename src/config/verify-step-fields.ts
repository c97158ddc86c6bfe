/** Builders for the fields of a verification step, and which fields each kind of step takes; none repeats a value that may be a secret. */
import { z } from 'zod';
import { text, uniqueList } from './schema-fields';
import { expecting, problem, quote } from './schema-messages';
import { hasPlaceholder, parseTemplate, VARIABLE_NAME } from './template';

const PLACEHOLDER_FIX = `write \${env:NAME} for an environment variable or \${name} for a value captured by an earlier step; names use letters, digits and underscores.`;

// Header names that carry a credential: a literal value there is a secret written into the file.
const CREDENTIAL_HEADER = /(?:^|-)(?:authorization|cookie|token|api-?key|secret|password|session)(?:$|-)/i;
// A JSON body member such as "password": "hunter2" whose value is not a placeholder.
const CREDENTIAL_MEMBER =
  /"(?:password|passwd|secret|client_secret|api_?key|token|access_token|refresh_token)"\s*:\s*"(?![^"]*\$\{)/i;

const credential = (where: string) =>
  problem(
    `${where} holds a credential written into the file, and secrets do not belong in the config file.`,
    `remove it. Put the secret in an environment variable and write \${env:NAME} in its place ` +
      `(e.g. authorization: "Bearer \${env:STAGING_API_TOKEN}"), or capture it from an earlier step ` +
      `(capture: { token: access_token }, then "Bearer \${token}").`,
  );

/** Like `expecting`, but never repeats the value: a header written as a bare number may still be a key. */
const expectingText =
  (what: string, example: string) =>
  (issue: { input?: unknown }): string => {
    if (issue.input === undefined) return expecting(what, example)(issue);
    const kind = Array.isArray(issue.input)
      ? 'a list'
      : issue.input === null
        ? 'nothing'
        : typeof issue.input === 'object'
          ? 'a mapping'
          : `a ${typeof issue.input}`;
    return problem(`Expected ${what}, found ${kind}.`, `write ${what} in quotes, for example ${example}.`);
  };

/** A string that may hold placeholders. Messages never repeat the value: it may be a secret. */
function template(what: string, example: string) {
  return z.string({ error: expectingText(what, example) }).superRefine((value, ctx) => {
    const parsed = parseTemplate(value);
    if (!parsed.ok) {
      ctx.addIssue({
        code: 'custom',
        message: problem(`${quote(parsed.bad)} is not a placeholder.`, PLACEHOLDER_FIX),
      });
    }
  });
}

const STEP_SCHEMES = ['http:', 'https:', 'ws:', 'wss:'];

/** True for a step URL (template) that opens a WebSocket: `ws://` or `wss://`. */
export const isWebSocketUrl = (url: string): boolean => /^wss?:\/\//i.test(url);

/** An absolute http(s):// or ws(s):// URL once its placeholders stand for something. */
function isStepUrl(template: string): boolean {
  if (!/^(?:https?|wss?):\/\//i.test(template)) return false; // the scheme must be written out
  try {
    const url = new URL(template.replace(/\$\{[^}]*\}/g, 'x'));
    // A WebSocket client refuses a fragment: say so now rather than at every verification.
    return STEP_SCHEMES.includes(url.protocol) && !(isWebSocketUrl(template) && template.includes('#'));
  } catch {
    return false;
  }
}

export const stepUrl = template('a URL', '"https://auth.staging.example.com/api/login"').refine(isStepUrl, {
  error: (issue) =>
    problem(
      `${quote(issue.input)} is not a valid step URL.`,
      `write a full http:// or https:// URL, e.g. https://auth.staging.example.com/api/login (or ws:// or wss:// for a WebSocket step, without a #fragment); \${…} placeholders may stand for parts of it.`,
    ),
});

const headerName = text(
  /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/,
  'HTTP header name',
  'use letters, digits and hyphens, e.g. content-type or authorization.',
  'content-type',
);

export const headers = z
  .record(headerName, template('a header value', '"application/json"'), {
    error: expecting('a mapping of headers', '{ content-type: application/json }'),
  })
  .superRefine((entries, ctx) => {
    for (const [name, value] of Object.entries(entries)) {
      if (CREDENTIAL_HEADER.test(name) && !hasPlaceholder(value)) {
        ctx.addIssue({ code: 'custom', path: [name], message: credential(`The ${name} header`) });
      }
    }
  });

export const statusCodes = z.unknown().transform((value, ctx): number[] => {
  const codes = Array.isArray(value) ? value : [value];
  const valid = (code: unknown) =>
    Number.isInteger(code) && (code as number) >= 100 && (code as number) <= 599;
  if (codes.length === 0 || !codes.every(valid)) {
    ctx.addIssue({
      code: 'custom',
      message: problem(
        `${quote(value)} is not an HTTP status or a list of them.`,
        'write a status from 100 to 599, e.g. expectStatus: 200, or a list such as expectStatus: [200, 204].',
      ),
    });
    return z.NEVER;
  }
  return [...new Set(codes as number[])];
});

export const variableName = text(
  VARIABLE_NAME,
  'variable name',
  'use letters, digits and underscores, starting with a letter or underscore, e.g. token.',
  'token',
);

export const jsonPath = text(
  /^[^.\s]+(?:\.[^.\s]+)*$/,
  'JSON path',
  'write the dotted path of the value in the response body, e.g. access_token, data.session.token or items.0.id.',
  'access_token',
);

/** Text sent to the service (a body, a message): placeholders, at most 64 KiB, no credential written into it. */
function payload(what: string, noun: string, example: string) {
  return template(what, example)
    .refine((value) => value.length <= 65_536, {
      error: problem(
        `${noun} is longer than 64 KiB.`,
        'shorten it, or send a smaller request that proves the same.',
      ),
    })
    .superRefine((value, ctx) => {
      if (CREDENTIAL_MEMBER.test(value)) ctx.addIssue({ code: 'custom', message: credential(noun) });
    });
}

/** The request body of an HTTP step. */
export const requestBody = payload('the request body', 'The body', `'{"prompt":"ping"}'`);

/** The messages a WebSocket step sends once connected, in order. */
export const sendMessages = z
  .array(payload('a message', 'The message', `'{"type":"subscribe"}'`), {
    error: expecting('a list of messages', `['{"type":"subscribe","room":"ops"}']`),
  })
  .max(20, {
    error: problem(
      'More than 20 messages are listed under send.',
      'send only what the path needs (at most 20).',
    ),
  });

/** The events a WebSocket step waits for: names, each listed once. */
export const eventNames = uniqueList(
  text(
    (name) => name.length <= 100 && name.trim() === name && name.length > 0,
    'event name',
    'write the type or event of the message to wait for (or text it contains), e.g. ready, at most 100 characters.',
    'ready',
  ),
  'event',
  '[ready, message]',
  (name) => name,
);

/** The fields whose presence depends on the kind of step, as parsed. */
type RawStep = Partial<Record<'body' | 'expectStatus' | 'send', unknown>> & {
  method?: string;
  capture?: Record<string, string>;
  expectEvents?: string[];
};

const HTTP_ONLY_FIXES: Record<'method' | 'body' | 'expectStatus' | 'capture', string> = {
  method: 'remove method: a WebSocket step connects, sends its send messages and waits for its expectEvents.',
  body: 'remove body and list the messages to send once connected under send, e.g. send: [\'{"type":"subscribe"}\'].',
  expectStatus:
    'remove expectStatus: the handshake must succeed anyway; list the events that prove the path works under expectEvents.',
  capture: 'remove capture, and capture the value in an HTTP step before this one.',
};

/** A ws:// step: no HTTP-only field, and at least one event to wait for. */
export function checkWebSocketFields(raw: RawStep, ctx: z.RefinementCtx): void {
  for (const [key, fix] of Object.entries(HTTP_ONLY_FIXES)) {
    if (raw[key as keyof RawStep] === undefined) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: problem(`${key} applies to HTTP steps only, and this step's URL is ws:// or wss://.`, fix),
    });
  }
  const events = raw.expectEvents;
  if (events === undefined || events.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['expectEvents'],
      message: problem(
        events === undefined
          ? 'A WebSocket step needs expectEvents: the events that prove the real-time path works.'
          : 'expectEvents is empty, so the step would prove nothing.',
        'list at least one, e.g. expectEvents: [ready]: each names the type or event field of a JSON message, or text a message contains.',
      ),
    });
  }
}

/** An http(s):// step: no WebSocket-only field, no body on GET or HEAD, no capture from HEAD. */
export function checkHttpFields(raw: RawStep, ctx: z.RefinementCtx): void {
  for (const key of ['send', 'expectEvents'] as const) {
    if (raw[key] === undefined) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: problem(
        `${key} applies to WebSocket steps only, and this step's URL is http:// or https://.`,
        `remove ${key}, or give the step a ws:// or wss:// URL if it should open a WebSocket.`,
      ),
    });
  }
  const method = raw.method ?? 'GET';
  if (raw.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    const fix = 'use method: POST (or PUT, PATCH), or remove the body.';
    ctx.addIssue({
      code: 'custom',
      path: ['body'],
      message: problem(`A ${method} request cannot have a body.`, fix),
    });
  }
  if (method === 'HEAD' && Object.keys(raw.capture ?? {}).length > 0) {
    const fix = 'use method: GET (or POST) for a step that captures, or remove capture.';
    ctx.addIssue({
      code: 'custom',
      path: ['capture'],
      message: problem('A HEAD response has no body to capture from.', fix),
    });
  }
}
