import { type Answer, fail, ok } from './api-answer';
import { type RenderContext, renderService } from './cloud-run-resources';
import type { CloudRunState, OperationState } from './cloud-run-state';
import { googleError, notFound } from './google-error';
import type { ServiceView, TrafficTarget } from './service-view';
import { sameTemplate, stringMap, templateSpecOf } from './template-spec';

const SERVICE_TYPE = 'type.googleapis.com/google.cloud.run.v2.Service';

/** What the Cloud Run write methods need: the rendering context, the mutable state, real time. */
export interface CloudRunCall {
  ctx: RenderContext;
  state: CloudRunState;
  /** Real time in ms, which rollouts are measured in. */
  at: number;
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const LATEST = new Set<unknown>(['TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', 1]);

/** The traffic a PATCH asks for, or what is wrong with it (Cloud Run answers 400 INVALID_ARGUMENT). */
export function trafficOf(value: unknown[], revisions: readonly string[]): TrafficTarget[] | string {
  const targets: TrafficTarget[] = [];
  for (const [index, item] of value.entries()) {
    if (!isObject(item)) return `traffic[${index}] is not a traffic target.`;
    // The API takes the revision's short name; a full resource name is tolerated.
    const revision = String(item.revision ?? '').replace(/^.*\/revisions\//, '');
    const latest = LATEST.has(item.type);
    if (!latest && !revision) return `traffic[${index}] names no revision and is not LATEST.`;
    if (!latest && !revisions.includes(revision)) {
      return `traffic[${index}]: revision '${revision}' does not exist.`;
    }
    targets.push({ revision: latest ? 'LATEST' : revision, percent: Number(item.percent ?? 0) });
  }
  const total = targets.reduce((sum, t) => sum + t.percent, 0);
  if (total !== 100) return `Traffic percentages must add up to 100, not ${total}.`;
  return targets;
}

/** `google.longrunning.Operation` JSON for `operation` of service `name`. */
function operationJson(call: CloudRunCall, name: string, operation: string, state: OperationState): unknown {
  const svc = call.ctx.scenario.services[name];
  const view = call.state.view(name, call.at);
  const service = svc && view ? { '@type': SERVICE_TYPE, ...renderService(call.ctx, name, svc, view) } : {};
  if (!state.done) return { name: operation, metadata: service, done: false };
  return {
    name: operation,
    metadata: service,
    done: true,
    ...(state.error ? { error: state.error } : { response: service }),
  };
}

function etagConflict(name: string, given: string, view: ServiceView): Answer {
  const current = `"${view.generation}"`;
  return fail(
    googleError(
      409,
      `Conflict for resource '${name}': the etag ${given} in the request does not match the current etag ${current}. Read the service again and retry.`,
    ),
  );
}

/**
 * `PATCH /v2/{service.name}`: checks the etag and the traffic, then (unless validateOnly) records
 * the update and answers its operation. A template that differs from the current one (annotations,
 * labels, images, env; not `revision`) creates a revision, as `gcloud run services update` does.
 */
export function updateService(
  call: CloudRunCall,
  url: URL,
  body: unknown,
  name: string,
  resource: string,
): Answer {
  const view = call.state.view(name, call.at);
  if (!view) return fail(notFound('run.services.update', resource));
  if (!isObject(body)) return fail(googleError(400, 'The request has no service in its body.'));
  if (typeof body.etag === 'string' && body.etag && body.etag !== `"${view.generation}"`) {
    return etagConflict(name, body.etag, view);
  }
  let traffic: TrafficTarget[] | undefined;
  if (Array.isArray(body.traffic) && body.traffic.length > 0) {
    const parsed = trafficOf(
      body.traffic,
      view.revisions.map((r) => r.name),
    );
    if (typeof parsed === 'string') return fail(googleError(400, parsed));
    traffic = parsed;
  }
  const template = templateSpecOf(body.template, view.template);
  if (url.searchParams.get('validateOnly') === 'true') {
    const operation = call.state.validated(name);
    return ok(operationJson(call, name, operation, { service: name, done: true }));
  }
  const operation = call.state.apply(
    name,
    {
      annotations: stringMap(body.annotations),
      labels: stringMap(body.labels),
      template,
      ...(traffic ? { traffic } : {}),
      newRevision: !sameTemplate(view.template, template),
    },
    call.at,
  );
  const state = call.state.operation(operation, call.at) ?? { service: name, done: false };
  return ok(operationJson(call, name, operation, state));
}

/** `GET /v2/{name=projects/*\/locations/*\/operations/*}`. */
export function getOperation(call: CloudRunCall, resource: string): Answer {
  const state = call.state.operation(resource, call.at);
  if (!state) return fail(notFound('run.operations.get', resource));
  return ok(operationJson(call, state.service, resource, state));
}
