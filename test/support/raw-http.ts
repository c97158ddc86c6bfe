/**
 * HTTP over a bare TCP socket, for tests that send what no well-behaved client would: lowercase or
 * unknown methods, broken URLs, lying Content-Length headers, oversized headers and bodies.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when no status line arrived (the connection closed, or `timeoutMs` passed, first). */
  status: number;
  /** Header names in lowercase; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  /** Why no complete response arrived: `closed`, `timeout` or a socket error code. */
  incomplete?: string;
}

export interface RawRequestOptions {
  /** Gives up after this long (default 5 s). */
  timeoutMs?: number;
  /** Half-closes the socket once the request is written, as a client with nothing more to send would. */
  endAfterWrite?: boolean;
}

/**
 * Writes `request` to 127.0.0.1:`port` and reads one response: until its Content-Length or final
 * chunk, or the end of the connection. An event stream counts as complete once its headers arrive.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (incomplete?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(chunks));
      resolve(incomplete && !parsed.complete ? { ...parsed.response, incomplete } : parsed.response);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseResponse(Buffer.concat(chunks)).complete) finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
    socket.on('close', () => finish('closed'));
    socket.write(request, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

function parseResponse(raw: Buffer): { response: RawResponse; complete: boolean } {
  const empty = { response: { status: 0, headers: {}, body: '' }, complete: false };
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return empty;
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (!status) return empty;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(headEnd + 4);
  const response = { status: Number(status), headers, body: rest.toString('utf8') };
  if (headers['content-type']?.startsWith('text/event-stream')) return { response, complete: true };
  const length = headers['content-length'];
  if (length !== undefined) return { response, complete: rest.length >= Number(length) };
  if (headers['transfer-encoding']?.includes('chunked')) {
    return { response: { ...response, body: unchunk(rest) }, complete: rest.includes('\r\n0\r\n\r\n') };
  }
  // No length: a 1xx/204/304 has no body; anything else runs to the end of the connection.
  const bodiless = response.status < 200 || response.status === 204 || response.status === 304;
  return { response, complete: bodiless };
}

function unchunk(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A request's bytes: the request line, the headers as given, a blank line and the body. */
export function requestBytes(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body: string | Buffer = '',
): Buffer {
  const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}

/** One request on a connection of its own (`Connection: close`), with a Host header added. */
export function rawSend(
  port: number,
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]> = [],
  body: string | Buffer = '',
): Promise<RawResponse> {
  return rawRequest(
    port,
    requestBytes(method, target, [['host', 'warroom'], ['connection', 'close'], ...headers], body),
  );
}
