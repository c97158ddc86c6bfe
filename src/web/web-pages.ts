import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie } from '../http/http-server';
import type { TimelineKind } from '../incident/incident';
import { mentionedIds } from '../incident/people-named';
import type { Logger } from '../log/logger';
import { shortDigest } from '../short-digest';
import type { TokenScope } from './incident-links';
import type { RevocableLinks } from './link-generations';
import { loadIncidentPage, newerId, type PageDataDeps } from './load-incident-page';
import { renderIncidentList } from './render-incident-list';
import { liveSections, renderIncidentPage, timelineRow } from './render-incident-page';

export interface WebDeps extends PageDataDeps {
  links: RevocableLinks;
  log: Logger;
  /** How often an open page's event stream looks for new entries (default 1 s). */
  pollMs?: number;
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Inline style and script only: nothing is loaded from anywhere else.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const STREAM_ID = /^\d{1,15}-\d{1,10}$/;
const INCIDENT_PATH = /^\/incidents\/([^/]+)(\/events)?$/;

function cookieName(scope: TokenScope): string {
  if (scope === 'incident-list') return 'warroom_list';
  return `warroom_i_${shortDigest(scope.incidentId, 16)}`;
}

/** A path segment decoded, or '' when its escapes do not decode (`%zz`): no incident has that id. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function notFoundPage(res: ServerResponse): void {
  res.writeHead(404, HTML_HEADERS);
  res.end('<!doctype html><title>Not found — Warroom</title><p>There is no such incident.</p>');
}

function forbidden(res: ServerResponse, reason: string): void {
  const why =
    reason === 'expired'
      ? 'This link has expired.'
      : reason === 'missing'
        ? 'This page needs the link Warroom posts in Slack.'
        : 'This link is not valid.';
  res.writeHead(403, HTML_HEADERS);
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden — Warroom</title></head><body><h1>403</h1><p>${why} Open the incident page from the pinned header in the incident's Slack channel; it always carries a current link.</p></body></html>`,
  );
}

/**
 * The incident pages: `/incidents` and `/incidents/:id` (server-rendered HTML) and
 * `/incidents/:id/events` (server-sent events while the incident is open). A link carries a
 * signed, expiring token for one incident (or for the list); the first request exchanges it for
 * an HttpOnly cookie and redirects to the same URL without it, so the token appears in no page,
 * history entry or Referer. The list's cookie opens every incident.
 */
export class WebPages {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly deps: WebDeps) {}

  /** True for the paths these pages answer. */
  handles(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    return req.method === 'GET' && (path === '/incidents' || INCIDENT_PATH.test(path));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://warroom');
    const match = INCIDENT_PATH.exec(url.pathname);
    const incidentId = match ? decoded(match[1] ?? '') : undefined;
    if (incidentId === '') return notFoundPage(res);
    const scope: TokenScope = incidentId ? { incidentId } : 'incident-list';
    if (!(await this.authorize(req, res, url, scope))) return;
    if (!incidentId) return this.list(res);
    if (match?.[2]) return this.events(req, res, incidentId, url.searchParams.get('after'));
    return this.page(res, incidentId, url);
  }

  /** Ends every open event stream (shutdown), so the server can close. */
  close(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  /** False when it answered (403, or the redirect that trades the link's token for a cookie). */
  private async authorize(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    scope: TokenScope,
  ): Promise<boolean> {
    const { links } = this.deps;
    const token = url.searchParams.get('token');
    if (token !== null) {
      const check = await links.check(scope, token);
      if (!check.ok) {
        forbidden(res, check.reason);
        return false;
      }
      url.searchParams.delete('token');
      const path =
        scope === 'incident-list' ? '/incidents' : `/incidents/${encodeURIComponent(scope.incidentId)}`;
      const exp = Number(token.split('.')[0]);
      const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
      res.writeHead(303, {
        location: `${url.pathname}${url.search}`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'set-cookie': `${cookieName(scope)}=${await links.cookieFor(scope, token)}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${links.secure ? '; Secure' : ''}`,
      });
      res.end();
      return false;
    }
    const cookie = (name: string) => readCookie(req.headers.cookie, name);
    const own = await links.check(scope, cookie(cookieName(scope)), 'cookie');
    if (own.ok) return true;
    if (
      scope !== 'incident-list' &&
      (await links.check('incident-list', cookie(cookieName('incident-list')), 'cookie')).ok
    )
      return true;
    forbidden(res, own.reason);
    return false;
  }

  private async list(res: ServerResponse): Promise<void> {
    const [open, closed] = await Promise.all([
      this.deps.incidents.listOpen(),
      this.deps.incidents.listRecentlyClosed(20),
    ]);
    res.writeHead(200, HTML_HEADERS);
    res.end(renderIncidentList(open, closed, this.deps.now()));
  }

  private async page(res: ServerResponse, incidentId: string, url: URL): Promise<void> {
    const model = await loadIncidentPage(this.deps, incidentId);
    if (!model) return notFoundPage(res);
    const page = Number(url.searchParams.get('page'));
    const kinds = (url.searchParams.get('kind') ?? '')
      .split(',')
      .filter((k) => /^[a-z-]{2,30}$/.test(k)) as TimelineKind[];
    res.writeHead(200, HTML_HEADERS);
    res.end(renderIncidentPage(model, { ...(Number.isInteger(page) && page > 0 ? { page } : {}), kinds }));
  }

  /**
   * New timeline entries as they are appended (read from the incident's Redis stream after the
   * page's newest id), each followed by the page's changing sections; `closed` when it closes.
   */
  private async events(req: IncomingMessage, res: ServerResponse, incidentId: string, after: string | null) {
    const { incidents, pollMs = 1000 } = this.deps;
    if (!(await incidents.get(incidentId))) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such incident');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    this.streams.add(res);
    let cursor = after && STREAM_ID.test(after) ? after : undefined;
    let busy = false;
    let quietTicks = 0;
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const tick = async () => {
      if (busy || res.writableEnded) return;
      busy = true;
      try {
        const page = await incidents.timeline(incidentId, {
          ...(cursor ? { after: cursor } : {}),
          count: 200,
        });
        const nameOf = await this.deps.names?.(
          page.entries.flatMap((entry) => [entry.actor, ...mentionedIds(entry.text)]),
        );
        for (const entry of page.entries) {
          send('entry', { id: entry.id, kind: entry.kind, html: timelineRow(entry, nameOf) });
          if (!cursor || newerId(entry.id, cursor)) cursor = entry.id;
        }
        if (page.next && (!cursor || newerId(page.next, cursor))) cursor = page.next;
        // Sections on change, and once a minute so durations move on.
        if (page.entries.length > 0 || ++quietTicks * pollMs >= 60_000) {
          quietTicks = 0;
          const model = await loadIncidentPage(this.deps, incidentId);
          if (model) send('sections', liveSections(model));
          if (model?.incident.status === 'closed') {
            send('closed', {});
            stop();
            return;
          }
        } else if ((quietTicks * pollMs) % 15_000 < pollMs) {
          res.write(': keep-alive\n\n');
        }
      } catch (error) {
        this.deps.log.warn({ incidentId, reason: (error as Error).message }, 'incident page events failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), pollMs);
    const stop = () => {
      clearInterval(timer);
      this.streams.delete(res);
      if (!res.writableEnded) res.end();
    };
    req.on('close', stop);
    await tick();
  }
}
