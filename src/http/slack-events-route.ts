import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, isRawBodyError } from '@slack/bolt';
import type { Logger } from '../log/logger';
import { onceInAWhile } from '../queue/queues';
import { type Route, type RouteHandler, sendJson } from './http-server';
import { envelopeProblem } from './slack-payloads';

/** Where Slack sends commands, clicks and events in HTTP mode (the manifest's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's payloads are a few kilobytes; nothing it sends comes near 1 MiB. */
export const SLACK_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /slack/events`: reads the body (413 past 1 MiB, 400 if it is cut short), checks Slack's
 * signature (401), checks that the body parses the way Bolt will parse it and has the shape of
 * something Slack sends (400 otherwise), then hands the request, body read, to Bolt's listener,
 * which checks the signature again and acks. Bolt reads the envelope's fields unchecked; without
 * this, a signed `null` body would reject a promise nobody handles and stop the process.
 */
export function slackEventsRoute(boltListener: RouteHandler, signingSecret: string, log: Logger): Route {
  // Anyone can post here: say why requests are refused, but not a line per request.
  const reportRefusal = onceInAWhile((reason) =>
    log.warn({ path: SLACK_EVENTS_PATH, reason }, 'refused a request to the Slack endpoint'),
  );
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    reportRefusal(reason);
    sendJson(res, status, { error: reason });
  };
  return {
    methods: ['POST'],
    path: SLACK_EVENTS_PATH,
    handler: async (req, res) => {
      if (Number(req.headers['content-length']) > SLACK_BODY_LIMIT) {
        // Answered before the body is read: the connection closes rather than drain it.
        res.setHeader('connection', 'close');
        return refuse(res, 413, 'the body is larger than 1 MiB');
      }
      const read = await readSignedBody(req, signingSecret);
      if (!read.ok) {
        if (read.status === 413) res.setHeader('connection', 'close');
        return refuse(res, read.status, read.reason);
      }
      let body: unknown;
      try {
        body = HTTPModuleFunctions.parseHTTPRequestBody(read.request);
      } catch {
        return refuse(res, 400, 'the body is neither JSON nor a form with a JSON payload');
      }
      const problem = envelopeProblem(body);
      if (problem) return refuse(res, 400, problem);
      return boltListener(read.request, res);
    },
  };
}

type BufferedRequest = Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;

/**
 * The request with its body read and its signature checked, as Bolt does both (Bolt then skips
 * reading the body again).
 */
async function readSignedBody(
  req: IncomingMessage,
  signingSecret: string,
): Promise<{ ok: true; request: BufferedRequest } | { ok: false; status: number; reason: string }> {
  try {
    const options = { enabled: true, signingSecret, bodyLimit: SLACK_BODY_LIMIT };
    return { ok: true, request: await HTTPModuleFunctions.parseAndVerifyHTTPRequest(options, req) };
  } catch (error) {
    if (!isRawBodyError(error))
      return { ok: false, status: 401, reason: 'the request is not signed by Slack' };
    if (error.statusCode === 413) return { ok: false, status: 413, reason: 'the body is larger than 1 MiB' };
    return { ok: false, status: 400, reason: 'the body could not be read in full' };
  }
}
