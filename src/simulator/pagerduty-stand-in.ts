import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received, with what it answered. */
export interface ReceivedEvent {
  at: string;
  status: number;
  body: Record<string, unknown>;
}

/** A PagerDuty incident as the stand-in keeps it: one per open `dedup_key`, as PagerDuty does. */
export interface StandInIncident {
  dedupKey: string;
  routingKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  /** Trigger events folded into it (the first opened it; later ones were deduplicated). */
  triggers: number;
}

const ACTIONS = new Set(['trigger', 'acknowledge', 'resolve']);
const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/**
 * A loopback stand-in for PagerDuty's Events API v2 (`POST /v2/enqueue`), for tests and the shell.
 * It checks events the way PagerDuty documents them (400 with `errors` otherwise), answers 202 with
 * the `dedup_key`, folds triggers with the `dedup_key` of an open incident into it, and can be told
 * to answer the next requests with 400, 429 or 500.
 */
export class PagerDutyStandIn {
  private readonly received: ReceivedEvent[] = [];
  private readonly open = new Map<string, StandInIncident>();
  private readonly all: StandInIncident[] = [];
  private readonly scripted: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<PagerDutyStandIn> {
    let standIn: PagerDutyStandIn | undefined;
    const server = createServer((req, res) => {
      standIn?.handle(req, res).catch(() => answer(res, 500, { status: 'error' }));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    standIn = new PagerDutyStandIn(server, `http://127.0.0.1:${address.port}`);
    return standIn;
  }

  /** The next requests get these statuses (400, 429, 500…) instead of being processed, in order. */
  answerNext(...statuses: number[]): void {
    this.scripted.push(...statuses);
  }

  /** Every request, in order, with the status it got. */
  events(): ReceivedEvent[] {
    return [...this.received];
  }

  /** The events it accepted (202), in order. */
  accepted(action?: string): Record<string, unknown>[] {
    return this.received
      .filter((e) => e.status === 202 && (action === undefined || e.body.event_action === action))
      .map((e) => e.body);
  }

  /** The incidents the accepted events opened, in order, with where each stands. */
  incidents(): StandInIncident[] {
    return this.all.map((incident) => ({ ...incident }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url !== '/v2/enqueue') return answer(res, 404, { status: 'not found' });
    if (req.method !== 'POST') return answer(res, 405, { status: 'method not allowed' });
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    } catch {
      // Checked below: an empty event is invalid.
    }
    const status = this.scripted.shift() ?? (problems(body).length > 0 ? 400 : 202);
    this.received.push({ at: new Date().toISOString(), status, body });
    if (status === 202) {
      const dedupKey = this.apply(body);
      return answer(res, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
    }
    if (status === 400) {
      const errors = problems(body);
      return answer(res, 400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: errors.length > 0 ? errors : ['Rejected by the stand-in, as told'],
      });
    }
    if (status === 429)
      return answer(res, 429, {
        status: 'throttle event',
        message: 'Requests for this service are arriving too quickly',
      });
    return answer(res, status, { status: 'error', message: 'Internal error' });
  }

  /** Folds an accepted event into the incidents; the `dedup_key` it used (one is made for a trigger without). */
  private apply(body: Record<string, unknown>): string {
    const action = String(body.event_action);
    const dedupKey = typeof body.dedup_key === 'string' ? body.dedup_key : `standin-${this.all.length + 1}`;
    const current = this.open.get(dedupKey);
    if (action === 'trigger') {
      if (current) {
        current.triggers++;
      } else {
        const payload = body.payload as Record<string, unknown>;
        const incident: StandInIncident = {
          dedupKey,
          routingKey: String(body.routing_key),
          status: 'triggered',
          summary: String(payload.summary),
          triggers: 1,
        };
        this.open.set(dedupKey, incident);
        this.all.push(incident);
      }
    } else if (current && action === 'acknowledge') {
      current.status = 'acknowledged';
    } else if (current && action === 'resolve') {
      current.status = 'resolved';
      this.open.delete(dedupKey);
    }
    return dedupKey;
  }
}

/** What PagerDuty would say is wrong with an event, as its `errors` list. */
export function problems(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (!ACTIONS.has(String(body.event_action)))
    errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
  if (body.event_action !== 'trigger') {
    if (typeof body.dedup_key !== 'string' || body.dedup_key === '') errors.push("'dedup_key' is missing");
    return errors;
  }
  if (typeof body.dedup_key === 'string' && body.dedup_key.length > 255)
    errors.push("'dedup_key' is longer than 255 characters");
  const payload = body.payload as Record<string, unknown> | undefined;
  if (typeof payload !== 'object' || payload === null) return [...errors, "'payload' is missing"];
  if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024)
    errors.push("'payload.summary' must be 1 to 1024 characters");
  if (typeof payload.source !== 'string' || payload.source.length === 0)
    errors.push("'payload.source' is missing");
  if (!SEVERITIES.has(String(payload.severity)))
    errors.push("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
  if (payload.timestamp !== undefined && Number.isNaN(Date.parse(String(payload.timestamp))))
    errors.push("'payload.timestamp' is not an ISO 8601 time");
  return errors;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
