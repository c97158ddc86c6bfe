/**
 * What a remediation sends to Cloud Run and how it reads the answer. Pure: the job does the I/O.
 */

import { CONDITION_STATES, enumName, lastSegment, toMillis, toNumber } from '../diag/checks/google-values';
import type { CloudRunRevision, CloudRunService } from '../gcp/cloud-gateway';
import { serviceDisplayView } from '../gcp/service-display-view';
import { scrubCredentials } from '../log/scrub-credentials';
import { REQUEST_ANNOTATION } from './remediation';

/**
 * The fields of `google.cloud.run.v2.Service` a client may set. UpdateService replaces the whole
 * service, so the body is the service as read, without what Cloud Run computes itself.
 */
const WRITABLE_FIELDS = [
  'name',
  'description',
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'ingress',
  'launchStage',
  'binaryAuthorization',
  'template',
  'scaling',
  'traffic',
  'customAudiences',
  'defaultUriDisabled',
  'invokerIamDisabled',
  'buildConfig',
  'etag',
] as const;

function writable(service: CloudRunService): CloudRunService {
  const body: Record<string, unknown> = {};
  for (const field of WRITABLE_FIELDS) {
    const value = (service as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) body[field] = value;
  }
  return body as CloudRunService;
}

const annotationsOf = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null ? { ...(value as Record<string, string>) } : {};

/**
 * Forces a new revision with the same configuration: the template gains an annotation carrying
 * the request id and loses its revision name (Cloud Run then names a new one); the etag read with
 * the service makes Google refuse the update if anything changed in between.
 */
export function restartBody(service: CloudRunService, requestId: string): CloudRunService {
  const body = writable(service);
  const template = { ...(service.template ?? {}) };
  template.annotations = { ...annotationsOf(template.annotations), [REQUEST_ANNOTATION]: requestId };
  template.revision = '';
  body.template = template;
  return body;
}

/** Moves all traffic to `revision` (its short name); the service annotation records the request. */
export function rollbackBody(service: CloudRunService, revision: string, requestId: string): CloudRunService {
  const body = writable(service);
  body.annotations = { ...annotationsOf(service.annotations), [REQUEST_ANNOTATION]: requestId };
  body.traffic = [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, percent: 100 }];
  return body;
}

/** Empty strings, lists and objects, and false, as the decoded service is full of them. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  if (value === '' || value === false || value === null || value === undefined) return undefined;
  return typeof value === 'bigint' ? String(value) : value;
}

/**
 * The body as the dry run shows it and the request record stores it: its display view (env values,
 * secret references, annotation and label values, arguments hidden; see serviceDisplayView) as JSON
 * without the empty fields the decoded service carries. The body sent to Google is never shown.
 */
export function bodyForDisplay(body: CloudRunService): string {
  return JSON.stringify(
    prune(serviceDisplayView(body, { visibleKeys: [REQUEST_ANNOTATION] })) ?? {},
    null,
    2,
  );
}

/** What the update changes, one line per field, for the dry run and the request's message. */
export function describeChanges(
  action: 'restart' | 'rollback',
  service: CloudRunService,
  requestId: string,
  target?: string,
): string[] {
  const etag = service.etag
    ? ` (sent with etag ${service.etag}: Google refuses it if the service changed since)`
    : '';
  if (action === 'restart') {
    return [
      `template.annotations["${REQUEST_ANNOTATION}"]: ${annotationsOf(service.template?.annotations)[REQUEST_ANNOTATION] ?? '(none)'} → ${requestId}`,
      `template.revision: ${service.template?.revision || '(generated)'} → (Cloud Run names a new revision)${etag}`,
    ];
  }
  const before = (service.trafficStatuses?.length ? service.trafficStatuses : (service.traffic ?? []))
    .map((t) => {
      const name =
        enumName(t.type, TRAFFIC_TYPES) === TRAFFIC_LATEST || !t.revision
          ? `LATEST (${lastSegment(service.latestReadyRevision) ?? '?'})`
          : lastSegment(t.revision);
      return `${toNumber(t.percent) ?? 0}% ${name}`;
    })
    .join(', ');
  return [
    `traffic: ${before || '(none)'} → 100% ${target ?? '?'}${etag}`,
    `annotations["${REQUEST_ANNOTATION}"]: → ${requestId}`,
  ];
}

/** True when this request's update is already on the service (a retry must not send it again). */
export function carriesRequest(
  service: CloudRunService,
  action: 'restart' | 'rollback',
  requestId: string,
): boolean {
  const annotations = annotationsOf(
    action === 'restart' ? service.template?.annotations : service.annotations,
  );
  return annotations[REQUEST_ANNOTATION] === requestId;
}

const TRAFFIC_LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
/** `google.cloud.run.v2.TrafficTargetAllocationType`, indexed by number. */
const TRAFFIC_TYPES = [
  'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
  TRAFFIC_LATEST,
  'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
];

/** The revision serving the most traffic now (short name); LATEST resolves to the latest ready one. */
export function servingRevision(service: CloudRunService): string | undefined {
  const statuses = service.trafficStatuses?.length ? service.trafficStatuses : (service.traffic ?? []);
  const top = [...statuses].sort((a, b) => (toNumber(b.percent) ?? 0) - (toNumber(a.percent) ?? 0))[0];
  if (!top) return lastSegment(service.latestReadyRevision);
  if (enumName(top.type, TRAFFIC_TYPES) === TRAFFIC_LATEST || !top.revision)
    return lastSegment(service.latestReadyRevision);
  return lastSegment(top.revision);
}

/** Percent of traffic on `revision` per the service's traffic statuses. */
export function trafficOn(service: CloudRunService, revision: string): number {
  const statuses = service.trafficStatuses?.length ? service.trafficStatuses : (service.traffic ?? []);
  let percent = 0;
  for (const target of statuses) {
    const name =
      enumName(target.type, TRAFFIC_TYPES) === TRAFFIC_LATEST || !target.revision
        ? lastSegment(service.latestReadyRevision)
        : lastSegment(target.revision);
    if (name === revision) percent += toNumber(target.percent) ?? 0;
  }
  return percent;
}

export function revisionReady(revision: CloudRunRevision): boolean {
  const ready = revision.conditions?.find((c) => c.type === 'Ready');
  return enumName(ready?.state, CONDITION_STATES) === 'CONDITION_SUCCEEDED';
}

export type RollbackTarget = { ok: true; revision: string } | { ok: false; reason: string };

/**
 * The revision a rollback moves traffic to: the named one (it must exist and be ready), or the
 * newest ready revision created before the one serving now.
 */
export function pickRollbackTarget(
  service: CloudRunService,
  revisions: readonly CloudRunRevision[],
  named?: string,
): RollbackTarget {
  const byAge = [...revisions].sort((a, b) => (toMillis(b.createTime) ?? 0) - (toMillis(a.createTime) ?? 0));
  const readyNames = byAge.filter(revisionReady).map((r) => lastSegment(r.name) ?? '');
  const listed = readyNames.slice(0, 5).join(', ') || 'none';
  if (named) {
    const found = byAge.find((r) => lastSegment(r.name) === named);
    if (!found)
      return {
        ok: false,
        reason: `There is no revision ${named}. Ready revisions, newest first: ${listed}.`,
      };
    if (!revisionReady(found))
      return {
        ok: false,
        reason: `Revision ${named} is not ready, so it cannot serve. Ready revisions: ${listed}.`,
      };
    return { ok: true, revision: named };
  }
  const current = servingRevision(service);
  const index = byAge.findIndex((r) => lastSegment(r.name) === current);
  const older = index >= 0 ? byAge.slice(index + 1) : byAge;
  const target = older.find(revisionReady);
  if (!target)
    return {
      ok: false,
      reason: `No ready revision older than ${current ?? 'the current one'} was found. Name one: ready revisions are ${listed}.`,
    };
  return { ok: true, revision: lastSegment(target.name) ?? '' };
}

/** Where a rollout stands, read from the service. */
export type Rollout =
  | { phase: 'pending'; detail: string }
  | { phase: 'ready'; revision: string }
  | { phase: 'failed'; revision?: string; message: string };

const terminalState = (service: CloudRunService) =>
  enumName(service.terminalCondition?.state, CONDITION_STATES);

/**
 * A restart is done when Cloud Run has reconciled the latest generation (observedGeneration ==
 * generation), the Ready condition succeeded and the latest ready revision is the latest created.
 */
export function restartRollout(service: CloudRunService): Rollout {
  const generation = toNumber(service.generation);
  const observed = toNumber(service.observedGeneration);
  const created = lastSegment(service.latestCreatedRevision);
  const ready = lastSegment(service.latestReadyRevision);
  if (service.reconciling || (generation !== undefined && observed !== generation)) {
    return { phase: 'pending', detail: `Cloud Run is rolling out ${created ?? 'the new revision'}` };
  }
  const state = terminalState(service);
  if (state === 'CONDITION_FAILED') {
    return {
      phase: 'failed',
      ...(created ? { revision: created } : {}),
      // Cloud Run quotes the container's own output here, which may carry a credential.
      message: scrubCredentials(service.terminalCondition?.message || 'the Ready condition failed'),
    };
  }
  if (state === 'CONDITION_SUCCEEDED' && created && created === ready)
    return { phase: 'ready', revision: created };
  return { phase: 'pending', detail: `waiting for ${created ?? 'the new revision'} to become ready` };
}

/** A rollback is done when the latest generation is reconciled and all traffic is on the target. */
export function rollbackRollout(service: CloudRunService, target: string): Rollout {
  const generation = toNumber(service.generation);
  const observed = toNumber(service.observedGeneration);
  if (service.reconciling || (generation !== undefined && observed !== generation))
    return { phase: 'pending', detail: `Cloud Run is moving traffic to ${target}` };
  const percent = trafficOn(service, target);
  if (percent === 100) return { phase: 'ready', revision: target };
  return { phase: 'pending', detail: `${percent}% of traffic on ${target} so far` };
}
