import type { EnumEncoder } from './enums';
import type { Scenario, ScenarioCondition, ScenarioService } from './scenario';

/** Where a scenario's resources live, and when "now" is, for rendering them. */
export interface RenderContext {
  scenario: Scenario;
  now: Date;
  enc: EnumEncoder;
}

const minutesAgo = (now: Date, minutes: number): string =>
  new Date(now.getTime() - minutes * 60_000).toISOString();

export const serviceName = (s: Scenario, service: string): string =>
  `projects/${s.project}/locations/${s.region}/services/${service}`;

export const connectorName = (s: Scenario, connector: string): string =>
  `projects/${s.project}/locations/${s.region}/connectors/${connector}`;

/** Condition in the camelCase proto3 JSON of `google.cloud.run.v2.Condition`. */
function renderCondition(
  condition: ScenarioCondition,
  at: string,
  enc: EnumEncoder,
): Record<string, unknown> {
  return {
    type: condition.type,
    state: enc('conditionState', condition.state),
    ...(condition.message ? { message: condition.message } : {}),
    lastTransitionTime: at,
    ...(condition.severity ? { severity: enc('severity', condition.severity) } : {}),
    ...(condition.reason ? { reason: enc('commonReason', condition.reason) } : {}),
    ...(condition.revisionReason ? { revisionReason: enc('revisionReason', condition.revisionReason) } : {}),
  };
}

/** The revision template / revision fields both resources share: containers, VPC access, scaling. */
function runtimeFields(ctx: RenderContext, name: string, svc: ScenarioService): Record<string, unknown> {
  const probe = svc.startupProbe;
  return {
    scaling: { minInstanceCount: 0, maxInstanceCount: 10 },
    ...(svc.vpcAccess
      ? {
          vpcAccess: {
            connector: connectorName(ctx.scenario, svc.vpcAccess.connector),
            egress: ctx.enc('vpcEgress', svc.vpcAccess.egress),
          },
        }
      : {}),
    timeout: '300s',
    serviceAccount: `${name}-run@${ctx.scenario.project}.iam.gserviceaccount.com`,
    containers: [
      {
        name: `${name}-1`,
        image: svc.image ?? `us-central1-docker.pkg.dev/${ctx.scenario.project}/apps/${name}:latest`,
        ports: [{ name: 'http1', containerPort: 8080 }],
        resources: { limits: { cpu: '1', memory: '512Mi' }, cpuIdle: true, startupCpuBoost: true },
        ...(probe
          ? {
              startupProbe: {
                initialDelaySeconds: probe.initialDelaySeconds,
                timeoutSeconds: probe.timeoutSeconds,
                periodSeconds: probe.periodSeconds,
                failureThreshold: probe.failureThreshold,
                ...(probe.httpPath
                  ? { httpGet: { path: probe.httpPath, port: probe.tcpPort ?? 8080 } }
                  : { tcpSocket: { port: probe.tcpPort ?? 8080 } }),
              },
            }
          : {}),
      },
    ],
    executionEnvironment: ctx.enc('executionEnvironment', 'EXECUTION_ENVIRONMENT_GEN2'),
    maxInstanceRequestConcurrency: 80,
  };
}

/** `google.cloud.run.v2.Service` as Cloud Run Admin API v2 answers `GET /v2/{name}`. */
export function renderService(
  ctx: RenderContext,
  name: string,
  svc: ScenarioService,
): Record<string, unknown> {
  const full = serviceName(ctx.scenario, name);
  const { enc, now } = ctx;
  const created = svc.revisions.find((r) => r.name === svc.latestCreatedRevision);
  const changedAt = minutesAgo(now, created?.createdMinutesAgo ?? 0);
  // v2 reports the Ready condition as `terminalCondition` and the others in `conditions`.
  const ready = svc.conditions.find((c) => c.type === 'Ready');
  const traffic = svc.traffic.map((t) =>
    t.revision === 'LATEST'
      ? { type: enc('trafficType', 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'), percent: t.percent }
      : {
          type: enc('trafficType', 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION'),
          revision: t.revision,
          percent: t.percent,
        },
  );
  const generation = String(svc.revisions.length);
  return {
    name: full,
    uid: `5d1f6e0c-${name.padEnd(4, '0').slice(0, 4)}-4c1e-9a57-2f8d3b6a1c0e`,
    generation,
    createTime: minutesAgo(now, 60 * 24 * 90),
    updateTime: changedAt,
    creator: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
    lastModifier: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
    ingress: enc('ingress', 'INGRESS_TRAFFIC_ALL'),
    launchStage: enc('launchStage', 'GA'),
    template: { revision: svc.latestCreatedRevision, ...runtimeFields(ctx, name, svc) },
    traffic,
    observedGeneration: generation,
    ...(ready ? { terminalCondition: renderCondition(ready, changedAt, enc) } : {}),
    conditions: svc.conditions.filter((c) => c !== ready).map((c) => renderCondition(c, changedAt, enc)),
    latestCreatedRevision: `${full}/revisions/${svc.latestCreatedRevision}`,
    ...(svc.latestReadyRevision
      ? { latestReadyRevision: `${full}/revisions/${svc.latestReadyRevision}` }
      : {}),
    trafficStatuses: traffic,
    uri: `https://${name}-7x3kq2vb4a-uc.a.run.app`,
    urls: [`https://${name}-123456789012.${ctx.scenario.region}.run.app`],
    reconciling: false,
    etag: `"${generation}"`,
  };
}

/** `google.cloud.run.v2.Revision` list for a service, newest first as Cloud Run lists them. */
export function renderRevisions(
  ctx: RenderContext,
  name: string,
  svc: ScenarioService,
): Record<string, unknown>[] {
  const full = serviceName(ctx.scenario, name);
  return [...svc.revisions]
    .sort((a, b) => a.createdMinutesAgo - b.createdMinutesAgo)
    .map((revision, index, all) => {
      const at = minutesAgo(ctx.now, revision.createdMinutesAgo);
      return {
        name: `${full}/revisions/${revision.name}`,
        uid: `8b2e4f10-0000-4000-8000-${String(index).padStart(12, '0')}`,
        generation: '1',
        createTime: at,
        updateTime: at,
        launchStage: ctx.enc('launchStage', 'GA'),
        service: full,
        ...runtimeFields(ctx, name, svc),
        conditions: revision.conditions.map((c) => renderCondition(c, at, ctx.enc)),
        observedGeneration: '1',
        logUri: `https://console.cloud.google.com/logs/viewer?project=${ctx.scenario.project}&resource=cloud_run_revision/service_name/${name}/revision_name/${revision.name}`,
        creator: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
        etag: `"${all.length - index}"`,
      };
    });
}
