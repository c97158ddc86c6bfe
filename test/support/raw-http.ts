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
  /** The request was HEAD: the response ends with its headers. */
  head?: boolean;
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
      const parsed = parseResponse(Buffer.concat(chunks), options.head);
      resolve(incomplete && !parsed.complete ? { ...parsed.response, incomplete } : parsed.response);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseResponse(Buffer.concat(chunks), options.head).complete) finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
    socket.on('close', () => finish('closed'));
    socket.write(request, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}

function parseResponse(raw: Buffer, head = false): { response: RawResponse; complete: boolean } {
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
  // An interim answer (100 Continue) comes before the response itself.
  if (Number(status) < 200 && Number(status) !== 101) return parseResponse(rest, head);
  const response = { status: Number(status), headers, body: rest.toString('utf8') };
  if (head || headers['content-type']?.startsWith('text/event-stream')) return { response, complete: true };
  const length = headers['content-length'];
  if (length !== undefined) return { response, complete: rest.length >= Number(length) };
  if (headers['transfer-encoding']?.includes('chunked')) {
    const chunks = unchunk(rest);
    return { response: { ...response, body: chunks.body }, complete: chunks.complete };
  }
  // No length: a 101/204/304 has no body; anything else runs to the end of the connection.
  const bodiless = response.status === 101 || response.status === 204 || response.status === 304;
  return { response, complete: bodiless };
}

/** The body of a chunked message so far, and whether its last (empty) chunk has arrived. */
function unchunk(raw: Buffer): { body: string; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) break;
    if (size === 0) return { body: Buffer.concat(parts).toString('utf8'), complete: true };
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return { body: Buffer.concat(parts).toString('utf8'), complete: false };
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
