/** Builders for the fields of a verification step; none repeats a value that may be a secret. */
import { z } from 'zod';
import { isHttpUrl, text } from './schema-fields';
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

export const stepUrl = template('a URL', '"https://auth.staging.example.com/api/login"').refine(
  // Placeholders stand for parts of the URL; the scheme must be written out.
  (url) => /^https?:\/\//i.test(url) && isHttpUrl(url.replace(/\$\{[^}]*\}/g, 'x')),
  {
    error: (issue) =>
      problem(
        `${quote(issue.input)} is not a valid step URL.`,
        `write a full http:// or https:// URL, e.g. https://auth.staging.example.com/api/login; \${…} placeholders may stand for parts of it.`,
      ),
  },
);

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

/** The request body: text with placeholders, at most 64 KiB, with no credential written into it. */
export const requestBody = template('the request body', `'{"prompt":"ping"}'`)
  .refine((value) => value.length <= 65_536, {
    error: problem(
      'The body is longer than 64 KiB.',
      'shorten it, or send a smaller request that proves the same.',
    ),
  })
  .superRefine((value, ctx) => {
    if (CREDENTIAL_MEMBER.test(value)) ctx.addIssue({ code: 'custom', message: credential('The body') });
  });
