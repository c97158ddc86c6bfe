import type { EnumEncoder } from './enums';
import type { Scenario, ScenarioCondition, ScenarioService } from './scenario';
import type { ServiceView, TrafficTarget } from './service-view';
import { type TemplateSpec, templateMeta } from './template-spec';

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

/** `google.cloud.run.v2.VpcAccess`: a connector's full name, or Direct VPC network interfaces. */
function renderVpcAccess(
  ctx: RenderContext,
  access: NonNullable<ScenarioService['vpcAccess']>,
): Record<string, unknown> {
  return {
    ...(access.connector ? { connector: connectorName(ctx.scenario, access.connector) } : {}),
    egress: ctx.enc('vpcEgress', access.egress),
    ...(access.networkInterfaces
      ? {
          networkInterfaces: access.networkInterfaces.map((nic) => ({
            ...(nic.network ? { network: nic.network } : {}),
            ...(nic.subnetwork ? { subnetwork: nic.subnetwork } : {}),
            ...(nic.tags && nic.tags.length > 0 ? { tags: nic.tags } : {}),
          })),
        }
      : {}),
  };
}

/** The revision template / revision fields both resources share: containers, VPC access, scaling. */
function runtimeFields(
  ctx: RenderContext,
  name: string,
  svc: ScenarioService,
  template: TemplateSpec,
): Record<string, unknown> {
  const probe = svc.startupProbe;
  const container = template.containers[0];
  return {
    ...templateMeta(template),
    scaling: { minInstanceCount: 0, maxInstanceCount: svc.maxInstances },
    ...(svc.vpcAccess ? { vpcAccess: renderVpcAccess(ctx, svc.vpcAccess) } : {}),
    timeout: '300s',
    ...(svc.serviceAccount === null
      ? {}
      : {
          serviceAccount: svc.serviceAccount ?? `${name}-run@${ctx.scenario.project}.iam.gserviceaccount.com`,
        }),
    ...(svc.cloudSqlInstances
      ? {
          volumes: [
            {
              name: 'cloudsql',
              cloudSqlInstance: {
                instances: svc.cloudSqlInstances.map(
                  (db) => `${ctx.scenario.project}:${ctx.scenario.region}:${db}`,
                ),
              },
            },
          ],
        }
      : {}),
    containers: [
      {
        name: `${name}-1`,
        image: container?.image,
        ...(container && container.env.length > 0 ? { env: container.env } : {}),
        ports: [{ name: 'http1', containerPort: 8080 }],
        ...(svc.cloudSqlInstances ? { volumeMounts: [{ name: 'cloudsql', mountPath: '/cloudsql' }] } : {}),
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

const renderTraffic = (traffic: TrafficTarget[], enc: EnumEncoder) =>
  traffic.map((t) =>
    t.revision === 'LATEST'
      ? { type: enc('trafficType', 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'), percent: t.percent }
      : {
          type: enc('trafficType', 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION'),
          revision: t.revision,
          percent: t.percent,
        },
  );

/** `google.cloud.run.v2.Service` as Cloud Run Admin API v2 answers `GET /v2/{name}`. */
export function renderService(
  ctx: RenderContext,
  name: string,
  svc: ScenarioService,
  view: ServiceView,
): Record<string, unknown> {
  const full = serviceName(ctx.scenario, name);
  const { enc, now } = ctx;
  const changedAt = minutesAgo(now, view.updatedMinutesAgo);
  const transitionAt = minutesAgo(now, view.conditionsMinutesAgo);
  // v2 reports the Ready condition as `terminalCondition` and the others in `conditions`.
  const ready = view.conditions.find((c) => c.type === 'Ready');
  return {
    name: full,
    uid: `5d1f6e0c-${name.padEnd(4, '0').slice(0, 4)}-4c1e-9a57-2f8d3b6a1c0e`,
    generation: String(view.generation),
    ...templateMeta(view),
    createTime: minutesAgo(now, 60 * 24 * 90),
    updateTime: changedAt,
    creator: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
    lastModifier: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
    ingress: enc('ingress', 'INGRESS_TRAFFIC_ALL'),
    launchStage: enc('launchStage', 'GA'),
    template: { revision: view.latestCreatedRevision, ...runtimeFields(ctx, name, svc, view.template) },
    traffic: renderTraffic(view.traffic, enc),
    observedGeneration: String(view.observedGeneration),
    ...(ready ? { terminalCondition: renderCondition(ready, transitionAt, enc) } : {}),
    conditions: view.conditions.filter((c) => c !== ready).map((c) => renderCondition(c, transitionAt, enc)),
    latestCreatedRevision: `${full}/revisions/${view.latestCreatedRevision}`,
    ...(view.latestReadyRevision
      ? { latestReadyRevision: `${full}/revisions/${view.latestReadyRevision}` }
      : {}),
    trafficStatuses: renderTraffic(view.trafficStatuses, enc),
    uri: `https://${name}-7x3kq2vb4a-uc.a.run.app`,
    urls: [`https://${name}-123456789012.${ctx.scenario.region}.run.app`],
    reconciling: view.reconciling,
    etag: `"${view.generation}"`,
  };
}

/** `google.cloud.run.v2.Revision` list for a service, newest first as Cloud Run lists them. */
export function renderRevisions(
  ctx: RenderContext,
  name: string,
  svc: ScenarioService,
  view: ServiceView,
): Record<string, unknown>[] {
  const full = serviceName(ctx.scenario, name);
  return view.revisions.map((revision, index, all) => {
    const at = minutesAgo(ctx.now, revision.createdMinutesAgo);
    return {
      name: `${full}/revisions/${revision.name}`,
      uid: `8b2e4f10-0000-4000-8000-${String(all.length - 1 - index).padStart(12, '0')}`,
      generation: '1',
      createTime: at,
      updateTime: at,
      launchStage: ctx.enc('launchStage', 'GA'),
      service: full,
      ...runtimeFields(ctx, name, svc, revision.template),
      conditions: revision.conditions.map((c) => renderCondition(c, at, ctx.enc)),
      observedGeneration: '1',
      logUri: `https://console.cloud.google.com/logs/viewer?project=${ctx.scenario.project}&resource=cloud_run_revision/service_name/${name}/revision_name/${revision.name}`,
      creator: `deployer@${ctx.scenario.project}.iam.gserviceaccount.com`,
      etag: `"${all.length - index}"`,
    };
  });
}
