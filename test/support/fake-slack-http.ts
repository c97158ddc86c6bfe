/** The wire side of the fake Slack: decoding requests as WebClient sends them and writing Slack's answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Args } from './fake-slack-types';

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks'];

/** How the transport answers a Web API call. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: ({ ok: boolean } & Args) | string;
}

export function platformError(error: string): Reply {
  return { status: 200, body: { ok: false, error } };
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Decodes a Web API request the way Slack does: form or JSON body, plus query parameters; token from either. */
export function decodeApiRequest(
  req: IncomingMessage,
  raw: string,
  query: URLSearchParams,
): { args: Args; token: string | undefined } {
  const args: Args = Object.fromEntries(query);
  if (req.headers['content-type']?.startsWith('application/json')) {
    const parsed = parseJson(raw);
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (raw.length > 0) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  }
  for (const field of JSON_FIELDS) {
    if (typeof args[field] === 'string') args[field] = parseJson(args[field]) ?? args[field];
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return { args, token };
}
