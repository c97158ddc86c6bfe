/**
 * Requests no well-behaved client sends, generated with fast-check for the HTTP fuzz test: odd
 * methods, broken paths, lying headers, garbage bodies, and Slack requests correctly signed around
 * hostile payloads that never ask for real work (help, unknown subcommands, unknown ids).
 */
import fc from 'fast-check';
import { hostileSlackPayload, junk, word } from './fuzz-slack-payloads';
import { requestBytes } from './raw-http';
import { signSlackRequest } from './slack-signing';
import { ADMIN_TOKEN, METRICS_TOKEN } from './surface-bot';
import { SIGNING_SECRET } from './test-warroom';

export interface FuzzRequest {
  /** What kind of request it is, for the report. */
  kind: string;
  method: string;
  target: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** Half-close after writing (a body shorter than its Content-Length must not hang the request). */
  endAfterWrite: boolean;
  /** Signed with the signing secret when sent: the body as Slack would sign it (before framing). */
  signed?: { payload: string; contentType: string };
}

const percentJunk = fc
  .array(
    fc.oneof(word, fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%25', '..', '//', ';', '#', '~')),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(''));
const incidentId = fc.oneof(word, fc.constant('inc-0000000000000'), percentJunk);
const query = fc.option(
  fc.oneof(
    fc.constantFrom(
      '?token=',
      '?token=1.abc',
      `?token=${'9'.repeat(12)}.${'A'.repeat(43)}`,
      '?after=1-0',
      '?page=-1',
    ),
    fc.tuple(word, percentJunk).map(([k, v]) => `?${k}=${v}`),
  ),
  { nil: '' },
);

const knownPath = fc.oneof(
  fc.constantFrom('/slack/events', '/healthz', '/readyz', '/metrics', '/incidents', '/admin/queues'),
  fc.constantFrom('/admin/queues/api/queues', '/admin/queues/static/x.js', '/admin/queues/api/redis/stats'),
  incidentId.map((id) => `/incidents/${id}`),
  incidentId.map((id) => `/incidents/${id}/events`),
);
const target = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(knownPath, query).map(([p, q]) => p + q) },
  { weight: 2, arbitrary: fc.tuple(percentJunk, query).map(([p, q]) => `/${p}${q}`) },
  { weight: 1, arbitrary: junk.map((j) => `/${j.replace(/[\s]/g, '')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '*',
      'http://x/y',
      '//%zz',
      'healthz',
      '/healthz?\u0000',
      '//healthz',
      '/./healthz',
    ),
  },
);
const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 4, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'MKCOL', 'SEARCH', 'M-SEARCH', 'PURGE', 'QUERY'),
  },
  { weight: 1, arbitrary: fc.constantFrom('CONNECT', 'get', 'post', 'FROB', 'G ET', 'POST\t') },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  '\u00ff\u00fe',
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{',
      '{"type":',
      'null',
      '[]',
      '"x"',
      'payload=',
      'payload=%7B',
      'payload=null',
      'ssl_check=1',
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(word, junk)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}&payload=${encodeURIComponent(v)}`),
  },
);
const body = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
);
/** A header sent one time in `1 + rarity`. */
const optionalHeader = (name: string, value: fc.Arbitrary<string>, rarity = 3) =>
  fc.oneof(
    { weight: rarity, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: value.map((v): [string, string] => [name, v]) },
  );
const extraHeaders = fc
  .tuple(
    optionalHeader(
      'x-slack-signature',
      fc.oneof(
        fc.constant('v0=garbage'),
        junk.map((j) => `v0=${j.replace(/[\r\n]/g, '')}`),
      ),
    ),
    optionalHeader(
      'x-slack-request-timestamp',
      fc.oneof(fc.constantFrom('now', '-1', '1e999', ''), fc.nat().map(String)),
    ),
    optionalHeader(
      'cookie',
      fc.oneof(
        fc.constantFrom(
          'warroom_admin=forged',
          'warroom_list=1.abc',
          `warroom_list=${'1'.repeat(12)}.${'A'.repeat(43)}`,
        ),
        fc.tuple(word, word).map(([k, v]) => `${k}=${v}`),
      ),
    ),
    optionalHeader(
      'authorization',
      fc.constantFrom('Bearer ', 'Bearer wrong', `Bearer ${METRICS_TOKEN}`, 'Basic Og==', 'Bearer\u00ff'),
    ),
    optionalHeader('expect', fc.constantFrom('100-continue', 'nonsense'), 15),
    optionalHeader('upgrade', fc.constantFrom('websocket', 'h2c'), 10),
    optionalHeader('x-slack-retry-num', fc.constantFrom('1', 'x', '-5'), 10),
  )
  .map((headers) => headers.filter((h): h is [string, string] => h !== undefined));

/** How the body's length is announced: truthfully, not at all, too short, too long, or nonsense. */
const lengthMode = fc.constantFrom(
  'exact',
  'exact',
  'exact',
  'none',
  'shorter',
  'longer',
  'garbage',
  'twice',
  'chunked',
);

/**
 * The request with its body framed as `mode` says. Only a body announced longer than it is ends
 * with a half-close: the server must answer once it knows no more is coming. (A client that
 * half-closes after a complete request has gone, as far as Node is concerned: it gets no answer.)
 */
function framed(
  kind: string,
  method: string,
  target: string,
  headers: Array<[string, string]>,
  body: Buffer,
  mode: string,
): FuzzRequest {
  const length = (value: number | string): Array<[string, string]> => [['content-length', String(value)]];
  const framing: Record<string, { headers: Array<[string, string]>; body?: Buffer }> = {
    exact: { headers: length(body.length) },
    none: { headers: [] },
    shorter: { headers: length(Math.max(0, body.length - 3)) },
    longer: { headers: length(body.length + 17) },
    garbage: { headers: length('12abc') },
    twice: { headers: [...length(body.length), ...length(body.length + 1)] },
    chunked: {
      headers: [['transfer-encoding', 'chunked']],
      body: Buffer.concat([
        Buffer.from(body.length > 0 ? `${body.length.toString(16)}\r\n` : ''),
        body,
        Buffer.from(body.length > 0 ? '\r\n0\r\n\r\n' : '0\r\n\r\n'),
      ]),
    },
  };
  const chosen = framing[mode] ?? framing.exact;
  return {
    kind,
    method,
    target,
    headers: [...headers, ...(chosen?.headers ?? [])],
    body: chosen?.body ?? body,
    endAfterWrite: mode === 'longer',
  };
}

const unsigned = fc
  .record({
    method,
    target,
    contentType,
    body,
    extra: extraHeaders,
    mode: lengthMode,
    keepAlive: fc.boolean(),
    admin: fc.boolean(),
  })
  .map(({ method: m, target: t, contentType: type, body: b, extra, mode, keepAlive, admin }) => {
    const headers: Array<[string, string]> = [...extra];
    if (type) headers.push(['content-type', type]);
    if (!keepAlive) headers.push(['connection', 'close']);
    // The dashboard with its token, for reading only: its other methods retry, clean and pause queues.
    if (admin && m === 'GET') headers.unshift(['authorization', `Bearer ${ADMIN_TOKEN}`]);
    return framed('unsigned', m, t, headers, b, mode);
  });

const signed = (responseUrl: string) =>
  fc
    .tuple(
      hostileSlackPayload(responseUrl),
      fc.constantFrom('exact', 'exact', 'exact', 'exact', 'chunked', 'longer'),
    )
    .map(
      ([payload, mode]): FuzzRequest => ({
        ...framed(payload.kind, 'POST', '/slack/events', [], Buffer.from(payload.body), mode),
        signed: { payload: payload.body, contentType: payload.contentType },
      }),
    );

// Announced or chunked: a megabyte of garbage after a body-less request is a parse error answered
// with 400 on a socket closed at once, and a client still writing may lose that answer to the reset.
const huge = fc.constantFrom('exact', 'chunked').map((mode) =>
  framed(
    'over 1 MiB',
    'POST',
    '/slack/events',
    [
      ['content-type', 'application/json'],
      ['connection', 'close'],
    ],
    Buffer.from(`{"p":"${'a'.repeat(1024 * 1024 + 10)}"}`),
    mode,
  ),
);
const hugeHeaders = fc.nat(40_000).map((n) =>
  framed(
    'big headers',
    'GET',
    '/healthz',
    [
      ['connection', 'close'],
      ['x-pad', 'a'.repeat(n)],
    ],
    Buffer.alloc(0),
    'none',
  ),
);

/** Every kind of request, in proportion; clicks are answered at `responseUrl`. */
export const fuzzRequest = (responseUrl: string) =>
  fc.oneof(
    { weight: 60, arbitrary: unsigned },
    { weight: 36, arbitrary: signed(responseUrl) },
    { weight: 2, arbitrary: hugeHeaders },
    { weight: 1, arbitrary: huge },
  );

/** The request's bytes, signed now (Slack's timestamps expire) when it is a signed one. */
export function wire(r: FuzzRequest): Buffer {
  const headers: Array<[string, string]> = [['host', 'warroom'], ...r.headers];
  if (r.signed) {
    const signature = signSlackRequest(r.signed.payload, SIGNING_SECRET);
    headers.push(
      ['content-type', r.signed.contentType],
      ['x-slack-signature', signature['x-slack-signature']],
      ['x-slack-request-timestamp', signature['x-slack-request-timestamp']],
    );
  }
  return requestBytes(r.method, r.target, headers, r.body);
}
