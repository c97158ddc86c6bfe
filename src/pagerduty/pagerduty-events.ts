import type { PagerDutyEvent } from './pagerduty-event';

/**
 * How PagerDuty answered an event: `accepted` (202); `retry` (429, 5xx, or no answer: try again
 * later); `rejected` (400 and any other answer no retry will change). `reason` never holds the
 * routing key.
 */
export type EventAnswer =
  | { outcome: 'accepted' }
  | { outcome: 'retry'; reason: string }
  | { outcome: 'rejected'; reason: string };

/** The one call Warroom makes to PagerDuty's Events API v2. */
export interface PagerDutyEvents {
  send(event: PagerDutyEvent): Promise<EventAnswer>;
}

/** An event is a few kilobytes; PagerDuty answers in well under a second. */
const SEND_TIMEOUT_MS = 10_000;
const REASON_MAX = 300;

/** `POST {eventsUrl}/v2/enqueue` with fetch. */
export class HttpPagerDutyEvents implements PagerDutyEvents {
  constructor(
    private readonly eventsUrl: string,
    private readonly timeoutMs = SEND_TIMEOUT_MS,
  ) {}

  async send(event: PagerDutyEvent): Promise<EventAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.eventsUrl}/v2/enqueue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      return { outcome: 'retry', reason: `no answer from PagerDuty (${cause ?? (error as Error).name})` };
    }
    const text = await response.text().catch(() => '');
    if (response.status === 202 || response.status === 200) return { outcome: 'accepted' };
    const reason = withoutKey(answerReason(response.status, text), event.routing_key);
    if (response.status === 429 || response.status >= 500) return { outcome: 'retry', reason };
    return { outcome: 'rejected', reason };
  }
}

/**
 * "HTTP 400: Event object is invalid (Length of 'routing_key' is incorrect)": PagerDuty's
 * `message` and `errors` when the body has them, the status alone otherwise.
 */
export function answerReason(status: number, body: string): string {
  let detail = '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(parsed.errors) ? parsed.errors.filter((e) => typeof e === 'string') : [];
    const message = typeof parsed.message === 'string' ? parsed.message : '';
    detail = [message, errors.length > 0 ? `(${errors.join('; ')})` : ''].filter(Boolean).join(' ');
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const reason = detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
  return reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 1)}…` : reason;
}

/** PagerDuty does not echo the key, but a proxy in between might: it never goes further. */
function withoutKey(reason: string, key: string): string {
  return key ? reason.split(key).join('***') : reason;
}
