import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Route, sendJson } from '../http/http-server';
import type { Logger } from '../log/logger';
import { onceInAWhile } from '../queue/queues';
import { readWebhookEvent, type WebhookEvent } from './webhook-event';
import { checkPagerDutySignature } from './webhook-signature';

/** Where the webhook subscription delivers (its `delivery_method.url` ends with it). */
export const PAGERDUTY_WEBHOOK_PATH = '/webhooks/pagerduty';
/** A v3 delivery is a few kilobytes. */
export const PAGERDUTY_BODY_LIMIT = 256 * 1024;

/**
 * `POST /webhooks/pagerduty`: reads the body (413 past the limit), checks `X-PagerDuty-Signature`
 * against the raw bytes (401 when unsigned or forged), parses it (400 when it is not a v3
 * delivery), then hands the event to `record`, and answers 202: for events it acts on and for
 * those it ignores alike, so PagerDuty does not retry them. Nothing is recorded before the
 * signature holds.
 */
export function pagerDutyWebhookRoute(
  secret: string,
  record: (event: WebhookEvent) => Promise<string>,
  log: Logger,
): Route {
  // Anyone can post here: say why requests are refused, but not a line per request.
  const reportRefusal = onceInAWhile((reason) =>
    log.warn({ path: PAGERDUTY_WEBHOOK_PATH, reason }, 'refused a PagerDuty webhook'),
  );
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    reportRefusal(reason);
    sendJson(res, status, { error: reason });
  };
  return {
    methods: ['POST'],
    path: PAGERDUTY_WEBHOOK_PATH,
    handler: async (req, res) => {
      if (Number(req.headers['content-length']) > PAGERDUTY_BODY_LIMIT) {
        res.setHeader('connection', 'close');
        return refuse(res, 413, 'the body is larger than 256 KiB');
      }
      const body = await readBody(req, PAGERDUTY_BODY_LIMIT);
      if (body === 'too-large') {
        res.setHeader('connection', 'close');
        return refuse(res, 413, 'the body is larger than 256 KiB');
      }
      const signature = checkPagerDutySignature(body, req.headers['x-pagerduty-signature'], secret);
      if (signature === 'missing') return refuse(res, 401, 'the request has no X-PagerDuty-Signature');
      if (signature === 'malformed') return refuse(res, 401, 'X-PagerDuty-Signature holds no v1 signature');
      if (signature === 'forged') return refuse(res, 401, 'no signature matches the webhook secret');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return refuse(res, 400, 'the body is not JSON');
      }
      const event = readWebhookEvent(parsed);
      if (!event) return refuse(res, 400, 'the body is not a PagerDuty v3 webhook event');
      const outcome = await record(event);
      log.info({ eventId: event.eventId, kind: event.kind, outcome }, 'PagerDuty webhook');
      sendJson(res, 202, { status: 'accepted' });
    },
  };
}

/** The body's bytes, or 'too-large' once past `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
