import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../log/logger';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** The methods a route can serve. HEAD is served by none: it gets 405 like any method a route does not list. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface Route {
  /** What the route serves; any other method on its path gets 405 with an `Allow` header. */
  methods: readonly Method[];
  path: string;
  /** Also matches every path below `path/`. */
  prefix?: boolean;
  handler: RouteHandler;
}

/** Slow or stalled clients are cut off: the headers within 10 s, the whole request within 30 s. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * An HTTP server for `routes` that nothing a client sends can take down: an unknown path gets 404,
 * a method the path does not serve 405 with `Allow`, a request target that is not a path (absolute
 * form, `*`, broken percent-encoding) 400, a request Node cannot parse 400 (431 for oversized
 * headers) on a closed socket, and a handler that throws, at once or later, a 500 with a reference
 * id that is also in the error log line.
 */
export function createHttpServer(routes: readonly Route[], log: Logger): Server {
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 2000,
    },
    (req, res) => runSafely(() => dispatch(routes, req, res), req, res, log),
  );
  server.on('clientError', answerClientError);
  // Without a listener Node drops a CONNECT without a word; it is a method no route serves.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  return server;
}

function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const path = requestPath(req.url);
  if (path === undefined) return sendJson(res, 400, { error: 'bad request target' });
  const onPath = routes.filter((r) => r.path === path || (r.prefix && path.startsWith(`${r.path}/`)));
  if (onPath.length === 0) return notFound(req, res);
  const route = onPath.find((r) => (r.methods as readonly string[]).includes(req.method ?? ''));
  if (!route) {
    const allow = [...new Set(onPath.flatMap((r) => r.methods))].join(', ');
    res.setHeader('allow', allow);
    return sendJson(res, 405, { error: 'method not allowed', allow });
  }
  return route.handler(req, res);
}

/** The path of an origin-form request target (`/a/b?c`), if it is one and its escapes decode. */
function requestPath(target: string | undefined): string | undefined {
  if (!target?.startsWith('/')) return undefined;
  const path = target.split('?')[0] ?? '';
  try {
    decodeURIComponent(path);
    return path;
  } catch {
    return undefined;
  }
}

/** Runs `work`; whatever it throws, now or later, is answered as an internal error. */
function runSafely(
  work: () => void | Promise<void>,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): void {
  const fail = (error: unknown) =>
    answerInternalError(res, log, error, { method: req.method, path: (req.url ?? '').split('?')[0] });
  try {
    Promise.resolve(work()).catch(fail);
  } catch (error) {
    fail(error);
  }
}

/**
 * Logs `error` at error level with a short reference and answers 500 with the same reference (the
 * caller can quote it; the log has the rest), or ends the response if its headers are already out.
 */
export function answerInternalError(
  res: ServerResponse,
  log: Logger,
  error: unknown,
  context: Record<string, unknown>,
): void {
  const ref = randomBytes(6).toString('hex');
  log.error({ ...context, ref, reason: (error as Error | undefined)?.message }, 'HTTP request failed');
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error', ref });
  else res.end();
}

/**
 * What Node could not parse: 431 for headers over its limit, 408 for a request that took too long,
 * 400 for anything else; then the socket is closed, since the stream cannot be trusted past it.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy();
}

/** The value of cookie `name` in a Cookie header, if it is there. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function notFound(_req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 404, { error: 'not found' });
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
