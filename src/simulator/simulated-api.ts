import { type Answer, fail, ok } from './api-answer';
import { type RenderContext, renderRevisions, renderService } from './cloud-run-resources';
import type { CloudRunState } from './cloud-run-state';
import { getOperation, updateService } from './cloud-run-update';
import { type FilterNode, matchesFilter, parseFilter } from './filter';
import { type GoogleErrorBody, googleError, notFound } from './google-error';
import { renderConnector, renderSqlInstance } from './infra-resources';
import type { SimulatedLogEntry } from './log-entries';
import {
  networkProject,
  renderFirewalls,
  renderIamPolicy,
  renderProject,
  renderSubnetwork,
} from './policy-resources';
import type { SimulatedMethod } from './scenario';
import { renderSeries, seriesOf } from './time-series';

/** What one API request asks for, once the URL is matched to a method. */
export interface ApiCall {
  method: SimulatedMethod;
  /** The resource name the call is about, for error messages. */
  resource: string;
  answer(): { status: number; body: unknown };
}

export interface ApiRequest {
  httpMethod: string;
  url: URL;
  body: unknown;
  ctx: RenderContext;
  logs: SimulatedLogEntry[];
  /** Cloud Run services as updates left them, and their operations. */
  cloudRun: CloudRunState;
  /** Real time (ms) of the request, which rollouts are measured in. */
  at: number;
}

/** Page tokens are opaque to clients; here they are the offset, base64-encoded. */
const offsetOf = (token: unknown): number => {
  const offset = typeof token === 'string' && token ? Number(Buffer.from(token, 'base64').toString()) : 0;
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
};
const tokenFor = (offset: number, total: number): string | undefined =>
  offset < total ? Buffer.from(String(offset)).toString('base64') : undefined;

function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = offsetOf(token);
  const next = tokenFor(start + size, items.length);
  return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
}

function filterOrError(filter: string): FilterNode | GoogleErrorBody {
  try {
    return parseFilter(filter);
  } catch (error) {
    return googleError(400, `Unparseable filter: ${(error as Error).message}`);
  }
}

function listEntries(req: ApiRequest): Answer {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const names = Array.isArray(body.resourceNames) ? body.resourceNames : [];
  if (names.length === 0) return fail(googleError(400, 'resourceNames must name at least one project.'));
  if (!names.includes(`projects/${req.ctx.scenario.project}`)) {
    return fail(notFound('logging.logEntries.list', String(names[0])));
  }
  const tree = filterOrError(typeof body.filter === 'string' ? body.filter : '');
  if ('error' in tree) return fail(tree);
  const matching = req.logs.filter(
    (entry) => typeof body.filter !== 'string' || !body.filter || matchesFilter(tree, entry),
  );
  const ordered = String(body.orderBy ?? '').includes('desc') ? [...matching].reverse() : matching;
  const size = Math.min(Math.max(Number(body.pageSize) || 50, 1), 1000);
  const { items, next } = page(ordered, body.pageToken, size);
  return ok({ entries: items, ...(next ? { nextPageToken: next } : {}) });
}

function listTimeSeries(req: ApiRequest, project: string): Answer {
  const { scenario, now } = req.ctx;
  if (project !== scenario.project)
    return fail(notFound('monitoring.timeSeries.list', `projects/${project}`));
  const q = req.url.searchParams;
  const filter = q.get('filter') ?? '';
  if (!/metric\.type\s*=/.test(filter)) {
    return fail(
      googleError(400, `Field filter had an invalid value of "${filter}": must specify a metric type.`),
    );
  }
  const end = q.get('interval.endTime');
  if (!end || Number.isNaN(Date.parse(end))) {
    return fail(googleError(400, 'Field interval.endTime had an invalid value: must be a timestamp.'));
  }
  const tree = filterOrError(filter);
  if ('error' in tree) return fail(tree);
  const start = new Date(q.get('interval.startTime') ?? end);
  const series = seriesOf(scenario)
    .filter((spec) => matchesFilter(tree, { metric: spec.metric, resource: spec.resource }))
    .map((spec) => renderSeries(spec, scenario, now, start, new Date(end)))
    .filter((s) => s.points.length > 0);
  const { items, next } = page(series, q.get('pageToken'), Number(q.get('pageSize')) || 100_000);
  return ok({ timeSeries: items, ...(next ? { nextPageToken: next } : {}), unit: items[0]?.unit ?? '' });
}

/**
 * Matches a request to the Google API method the official clients call, or undefined. Paths:
 * GAPIC REST transcoding of the protos' `google.api.http` rules, and googleapis' discovery paths.
 */
export function routeApiCall(req: ApiRequest): ApiCall | undefined {
  const { ctx } = req;
  const s = ctx.scenario;
  const path = decodeURIComponent(req.url.pathname);
  const get = req.httpMethod === 'GET';
  let m = /^\/v1\/(projects\/([^/]+)\/locations\/([^/]+)\/connectors\/([^/]+))$/.exec(path);
  if (m && get) {
    const [, resource = '', project, region, name] = m;
    return {
      method: 'vpcaccess.connectors.get',
      resource,
      answer: () => {
        const found = project === s.project && region === s.region && s.connector?.name === name;
        const body = found ? renderConnector(ctx) : undefined;
        return body ? ok(body) : fail(notFound('vpcaccess.connectors.get', resource));
      },
    };
  }
  m = /^\/v2\/(projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+))(\/revisions)?$/.exec(path);
  if (m && (get || (req.httpMethod === 'PATCH' && !m[5]))) {
    const [, resource = '', project, region, name = '', revisions] = m;
    const here = project === s.project && region === s.region;
    const call = { ctx, state: req.cloudRun, at: req.at };
    if (!get) {
      const service = here ? name : '';
      return {
        method: 'run.services.update',
        resource,
        answer: () => updateService(call, req.url, req.body, service, resource),
      };
    }
    const method = revisions ? 'run.revisions.list' : 'run.services.get';
    return {
      method,
      resource,
      answer: () => {
        const svc = here ? s.services[name] : undefined;
        const view = here ? req.cloudRun.view(name, req.at) : undefined;
        if (!svc || !view) return fail(notFound(method, resource));
        if (!revisions) return ok(renderService(ctx, name, svc, view));
        const size = Math.min(Number(req.url.searchParams.get('pageSize')) || 100, 1000);
        const { items, next } = page(
          renderRevisions(ctx, name, svc, view),
          req.url.searchParams.get('pageToken'),
          size,
        );
        return ok({ revisions: items, ...(next ? { nextPageToken: next } : {}) });
      },
    };
  }
  m = /^\/v2\/(projects\/([^/]+)\/locations\/([^/]+)\/operations\/([^/]+))$/.exec(path);
  if (m && get) {
    const [, resource = ''] = m;
    const call = { ctx, state: req.cloudRun, at: req.at };
    return { method: 'run.operations.get', resource, answer: () => getOperation(call, resource) };
  }
  m = /^\/v1\/(projects\/([^/]+)\/instances\/([^/]+))$/.exec(path);
  if (m && get) {
    const [, resource = '', project, name] = m;
    return {
      method: 'cloudsql.instances.get',
      resource,
      answer: () => {
        const body = project === s.project && s.sql?.name === name ? renderSqlInstance(ctx) : undefined;
        return body ? ok(body) : fail(notFound('cloudsql.instances.get', resource));
      },
    };
  }
  if (path === '/v2/entries:list' && req.httpMethod === 'POST') {
    const names = (req.body as { resourceNames?: unknown } | undefined)?.resourceNames;
    const resource =
      Array.isArray(names) && typeof names[0] === 'string' ? names[0] : `projects/${s.project}`;
    return { method: 'logging.logEntries.list', resource, answer: () => listEntries(req) };
  }
  m = /^\/v3\/(projects\/([^/:]+))(:getIamPolicy)?$/.exec(path);
  if (m && (m[3] ? req.httpMethod === 'POST' : get)) {
    const [, resource = '', project, policy] = m;
    const method = policy ? 'resourcemanager.projects.getIamPolicy' : 'resourcemanager.projects.get';
    return {
      method,
      resource,
      answer: () => {
        if (project !== s.project) return fail(notFound(method, resource));
        return ok(policy ? renderIamPolicy(ctx) : renderProject(ctx));
      },
    };
  }
  m = /^\/compute\/v1\/projects\/([^/]+)\/global\/firewalls$/.exec(path);
  if (m && get) {
    const [, project = ''] = m;
    const resource = `projects/${project}`;
    return {
      method: 'compute.firewalls.list',
      resource,
      answer: () => {
        if (project !== s.project && project !== networkProject(ctx))
          return fail(notFound('compute.firewalls.list', resource));
        const size = Math.min(Math.max(Number(req.url.searchParams.get('maxResults')) || 500, 1), 500);
        const { items, next } = page(
          renderFirewalls(ctx, project),
          req.url.searchParams.get('pageToken'),
          size,
        );
        return ok({
          kind: 'compute#firewallList',
          id: `projects/${project}/global/firewalls`,
          items,
          ...(next ? { nextPageToken: next } : {}),
          selfLink: `https://www.googleapis.com/compute/v1/projects/${project}/global/firewalls`,
        });
      },
    };
  }
  m = /^\/compute\/v1\/(projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+))$/.exec(path);
  if (m && get) {
    const [, resource = '', project = '', region = '', name = ''] = m;
    return {
      method: 'compute.subnetworks.get',
      resource,
      answer: () => {
        const body = renderSubnetwork(ctx, { project, region, name });
        return body ? ok(body) : fail(notFound('compute.subnetworks.get', resource));
      },
    };
  }
  m = /^\/v3\/(projects\/([^/]+))\/timeSeries$/.exec(path);
  if (m && get) {
    const [, resource = '', project = ''] = m;
    return { method: 'monitoring.timeSeries.list', resource, answer: () => listTimeSeries(req, project) };
  }
  return undefined;
}
