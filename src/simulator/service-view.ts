import type { Scenario, ScenarioCondition, ScenarioService } from './scenario';
import type { TemplateSpec } from './template-spec';

/** A traffic target as scenarios write it: a revision name, or `LATEST`. */
export interface TrafficTarget {
  revision: string;
  percent: number;
}

export interface ViewRevision {
  name: string;
  createdMinutesAgo: number;
  conditions: ScenarioCondition[];
  template: TemplateSpec;
}

/** A Cloud Run service as GET shows it at one moment: the scenario's, with the updates applied. */
export interface ServiceView {
  conditions: ScenarioCondition[];
  latestCreatedRevision: string;
  latestReadyRevision?: string;
  /** What the service asks for (spec)… */
  traffic: TrafficTarget[];
  /** …and what serves (status): they differ while an update is rolling out or after one failed. */
  trafficStatuses: TrafficTarget[];
  /** Newest first. */
  revisions: ViewRevision[];
  generation: number;
  observedGeneration: number;
  reconciling: boolean;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  template: TemplateSpec;
  updatedMinutesAgo: number;
  /** When the conditions last changed: their `lastTransitionTime`. */
  conditionsMinutesAgo: number;
}

/** One accepted PATCH of a service: its spec takes effect at once, its status at `settlesAt`. */
export interface ServiceUpdate {
  operation: string;
  generation: number;
  acceptedAt: number;
  /** Never before the previous update's: Cloud Run reconciles generations in order. */
  settlesAt: number;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  template: TemplateSpec;
  traffic?: TrafficTarget[];
  /** The revision the update created (its template is the update's), if the template changed. */
  revision?: string;
  outcome: 'ready' | 'failed';
  /** Why a failed revision failed, as its Ready condition says it. */
  failureDetail: string;
}

export const DEFAULT_FAILURE_DETAIL =
  'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout. Container called exit(3).';

/** The Ready condition message of a service whose latest revision failed. */
export const failedRevisionMessage = (revision: string, detail: string): string =>
  `Revision '${revision}' is not ready and cannot serve traffic. ${detail}`;

export const defaultImage = (project: string, service: string): string =>
  `us-central1-docker.pkg.dev/${project}/apps/${service}:latest`;

/** The scenario's template for `service`: its image, env, annotations and labels, if it gives them. */
export const scenarioTemplate = (
  scenario: Scenario,
  service: string,
  svc: ScenarioService,
): TemplateSpec => ({
  annotations: svc.templateAnnotations ?? {},
  labels: svc.templateLabels ?? {},
  containers: [
    {
      image: svc.image ?? defaultImage(scenario.project, service),
      env: (svc.env ?? []).map((v) =>
        'secret' in v
          ? {
              name: v.name,
              valueSource: { secretKeyRef: { secret: v.secret.name, version: v.secret.version } },
            }
          : v,
      ),
    },
  ],
});

/** The service exactly as the scenario describes it, before any update. */
export function scenarioView(scenario: Scenario, service: string, svc: ScenarioService): ServiceView {
  const template = scenarioTemplate(scenario, service, svc);
  const created = svc.revisions.find((r) => r.name === svc.latestCreatedRevision);
  const generation = svc.revisions.length;
  return {
    conditions: svc.conditions,
    latestCreatedRevision: svc.latestCreatedRevision,
    ...(svc.latestReadyRevision ? { latestReadyRevision: svc.latestReadyRevision } : {}),
    traffic: svc.traffic,
    trafficStatuses: svc.traffic,
    revisions: [...svc.revisions]
      .sort((a, b) => a.createdMinutesAgo - b.createdMinutesAgo)
      .map((r) => ({ ...r, template })),
    generation,
    observedGeneration: generation,
    reconciling: false,
    annotations: svc.annotations ?? {},
    labels: svc.labels ?? {},
    template,
    updatedMinutesAgo: created?.createdMinutesAgo ?? 0,
    conditionsMinutesAgo: created?.createdMinutesAgo ?? 0,
  };
}

const ready = (state: ScenarioCondition['state']): ScenarioCondition => ({ type: 'Ready', state });
const SUCCEEDED: ScenarioCondition[] = ['Ready', 'ConfigurationsReady', 'RoutesReady'].map((type) => ({
  type,
  state: 'CONDITION_SUCCEEDED',
}));
const RECONCILING: ScenarioCondition[] = ['Ready', 'ConfigurationsReady', 'RoutesReady'].map((type) => ({
  type,
  state: 'CONDITION_RECONCILING',
}));

function failedConditions(revision: string, detail: string): ScenarioCondition[] {
  const failed = {
    state: 'CONDITION_FAILED',
    severity: 'ERROR',
    reason: 'REVISION_FAILED',
    message: failedRevisionMessage(revision, detail),
  } as const;
  return [
    { type: 'Ready', ...failed },
    { type: 'ConfigurationsReady', ...failed },
    // The previous ready revision still takes the traffic.
    { type: 'RoutesReady', state: 'CONDITION_SUCCEEDED' },
  ];
}

/**
 * The service at time `at` (ms): each update's spec (generation, annotations, labels, template,
 * traffic, new revision) applies at once; until it settles the service is reconciling with the
 * previous observedGeneration, then its outcome decides the conditions and the ready revision.
 */
export function viewAt(base: ServiceView, updates: readonly ServiceUpdate[], at: number): ServiceView {
  const view: ServiceView = { ...base, revisions: [...base.revisions] };
  for (const update of updates) {
    const minutesAgo = Math.max(0, at - update.acceptedAt) / 60_000;
    view.generation = update.generation;
    view.annotations = update.annotations;
    view.labels = update.labels;
    view.template = update.template;
    view.updatedMinutesAgo = minutesAgo;
    if (update.traffic) view.traffic = update.traffic;
    const revision: ViewRevision | undefined = update.revision
      ? { name: update.revision, createdMinutesAgo: minutesAgo, conditions: [], template: update.template }
      : undefined;
    if (revision) {
      view.revisions.unshift(revision);
      view.latestCreatedRevision = revision.name;
    }
    if (at < update.settlesAt) {
      view.reconciling = true;
      if (revision) {
        view.conditions = RECONCILING;
        view.conditionsMinutesAgo = minutesAgo;
        revision.conditions = [ready('CONDITION_RECONCILING')];
      }
      continue;
    }
    view.reconciling = false;
    view.observedGeneration = update.generation;
    if (!revision || update.outcome === 'ready') view.trafficStatuses = view.traffic;
    if (!revision) continue;
    view.conditionsMinutesAgo = Math.max(0, at - update.settlesAt) / 60_000;
    if (update.outcome === 'ready') {
      view.conditions = SUCCEEDED;
      view.latestReadyRevision = revision.name;
      revision.conditions = [ready('CONDITION_SUCCEEDED')];
    } else {
      view.conditions = failedConditions(revision.name, update.failureDetail);
      revision.conditions = [
        {
          ...ready('CONDITION_FAILED'),
          severity: 'ERROR',
          revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
          message: update.failureDetail,
        },
      ];
    }
  }
  return view;
}
