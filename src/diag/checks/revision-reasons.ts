import type { CloudRunRevision, CloudRunService } from '../../gcp/cloud-gateway';
import type { Finding } from '../finding';

/**
 * What a reason says about the fault: `deploy` — Cloud Run refused the revision before any
 * container ran (image, its permissions, secrets), so the network cannot be the cause;
 * `start-up` — the container ran and failed its health check, which the application or a
 * dependency it waits for (the database) can cause; `network` — the route itself; `scaling` —
 * Cloud Run's own provisioning.
 */
export type ReasonKind = 'deploy' | 'start-up' | 'network' | 'scaling';

export interface RevisionReason {
  /** The `google.cloud.run.v2.Condition` field it comes in: `reason` (CommonReason) or `revisionReason`. */
  field: 'reason' | 'revisionReason';
  /** Its number in that enum, for answers decoded with numeric enums. */
  number: number;
  kind: ReasonKind;
  meaning: string;
  fix: string;
}

/** The condition reasons Warroom explains, one row each (enums of condition.proto). */
export const REVISION_REASONS = {
  CONTAINER_MISSING: {
    field: 'reason',
    number: 6,
    kind: 'deploy',
    meaning: 'the container image does not exist at the path the revision names',
    fix: 'deploy an image that exists (check the repository, name and tag or digest), or roll back to the last ready revision',
  },
  CONTAINER_PERMISSION_DENIED: {
    field: 'reason',
    number: 7,
    kind: 'deploy',
    meaning: 'the Cloud Run service agent may not pull the container image',
    fix: "grant roles/artifactregistry.reader on the image's repository to the Cloud Run service agent (service-PROJECT_NUMBER@serverless-robot-prod.iam.gserviceaccount.com), then deploy again",
  },
  CONTAINER_IMAGE_UNAUTHORIZED: {
    field: 'reason',
    number: 8,
    kind: 'deploy',
    meaning: 'the Binary Authorization policy does not allow the container image',
    fix: 'deploy an attested image or have the Binary Authorization policy amended; do not bypass it during an incident without approval',
  },
  SECRETS_ACCESS_CHECK_FAILED: {
    field: 'reason',
    number: 12,
    kind: 'deploy',
    meaning:
      "the revision's service account cannot read a Secret Manager secret it references, or the secret version does not exist",
    fix: "grant roles/secretmanager.secretAccessor on the secret to the revision's service account and check the referenced version exists, then deploy again",
  },
  VPC_NETWORK_NOT_FOUND: {
    field: 'reason',
    number: 17,
    kind: 'network',
    meaning: 'the VPC network named for Direct VPC egress does not exist',
    fix: "point the service's VPC egress at Cloud SQL's private network (`gcloud run services update SERVICE --network=NETWORK --subnet=SUBNET`) or at the configured connector",
  },
  MIN_INSTANCES_NOT_PROVISIONED: {
    field: 'revisionReason',
    number: 8,
    kind: 'scaling',
    meaning:
      'a revision with minimum instances is reserved but gets no traffic, so its instances are not live',
    fix: 'send traffic to it (`gcloud run services update-traffic`) if it should serve, or lower its minimum instances to 0',
  },
  HEALTH_CHECK_CONTAINER_ERROR: {
    field: 'revisionReason',
    number: 6,
    kind: 'start-up',
    meaning:
      'the container did not pass its start-up health check (crashed, exited or never listened on the port)',
    fix: "read the revision's start-up logs; if it waits on the database, check the path to it first, else roll back to the last ready revision",
  },
} as const satisfies Record<string, RevisionReason>;

export type RevisionReasonName = keyof typeof REVISION_REASONS;
const NAMES = Object.keys(REVISION_REASONS) as RevisionReasonName[];

/** The reason a condition field holds, if it is one we explain; names and numbers both decode. */
export function reasonNamed(field: RevisionReason['field'], value: unknown): RevisionReasonName | undefined {
  return NAMES.find((name) => {
    const row: RevisionReason = REVISION_REASONS[name];
    return row.field === field && (value === name || value === row.number);
  });
}

type Condition = NonNullable<CloudRunService['conditions']>[number];

/** The explained reasons of a service's conditions and its newest revision's, each once, in table order. */
export function reasonsOf(
  service: CloudRunService,
  newest: CloudRunRevision | undefined,
): RevisionReasonName[] {
  const conditions: Condition[] = [
    ...(service.terminalCondition ? [service.terminalCondition] : []),
    ...(service.conditions ?? []),
    ...(newest?.conditions ?? []),
  ];
  const found = new Set(
    conditions.flatMap((c) => [
      reasonNamed('reason', c.reason),
      reasonNamed('revisionReason', c.revisionReason),
    ]),
  );
  return NAMES.filter((name) => found.has(name));
}

/** "CONTAINER_MISSING: the container image does not exist … Fix: deploy an image that exists …" */
export const reasonLine = (name: RevisionReasonName): string =>
  `${name}: ${REVISION_REASONS[name].meaning}. Fix: ${REVISION_REASONS[name].fix}.`;

/** The evidence key under which the cloud-run finding lists a service's reasons, comma-separated. */
export const reasonsKey = (service: string): string => `reasons:${service}`;

/** The services and their reasons as the cloud-run finding recorded them, in service order. */
export function reasonsInFinding(
  finding: Finding | undefined,
): { service: string; reason: RevisionReasonName }[] {
  return Object.entries(finding?.evidence ?? {}).flatMap(([key, value]) =>
    key.startsWith(reasonsKey('')) && typeof value === 'string'
      ? value
          .split(',')
          .filter((reason): reason is RevisionReasonName => Object.hasOwn(REVISION_REASONS, reason))
          .map((reason) => ({ service: key.slice(reasonsKey('').length), reason }))
      : [],
  );
}
