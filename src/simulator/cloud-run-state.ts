import { randomUUID } from 'node:crypto';
import { nextRevisionName } from './revision-name';
import type { Scenario } from './scenario';
import {
  DEFAULT_FAILURE_DETAIL,
  failedRevisionMessage,
  type ServiceUpdate,
  type ServiceView,
  scenarioView,
  type TrafficTarget,
  viewAt,
} from './service-view';
import type { TemplateSpec } from './template-spec';

/** A traffic-only update settles after at most this long: no revision has to start. */
export const TRAFFIC_SETTLE_MS = 200;

/** What a PATCH asks for, once validated. */
export interface UpdateRequest {
  annotations: Record<string, string>;
  labels: Record<string, string>;
  template: TemplateSpec;
  traffic?: TrafficTarget[];
  /** Whether the template differs from the current one, so a revision is created. */
  newRevision: boolean;
}

/** A long-running operation as GET answers it at one moment. */
export type OperationState =
  | { service: string; done: false }
  | { service: string; done: true; error?: { code: number; message: string } };

interface StoredOperation {
  service: string;
  /** Absent for a validateOnly request: done at once, nothing changed. */
  update?: ServiceUpdate;
}

/**
 * The Cloud Run services of one scenario as updates change them, and the operations those updates
 * return. Time is real time (ms since the epoch, passed in), so a rollout takes as long as the
 * scenario's `rollout.readyAfterMs` says whichever clock renders the resources.
 */
export class CloudRunState {
  private readonly updates = new Map<string, ServiceUpdate[]>();
  private readonly operations = new Map<string, StoredOperation>();

  constructor(
    private readonly scenario: Scenario,
    private readonly random: () => number,
  ) {}

  /** The service at `at`, or undefined when the scenario has no such service. */
  view(service: string, at: number): ServiceView | undefined {
    if (!Object.hasOwn(this.scenario.services, service)) return undefined;
    const svc = this.scenario.services[service];
    if (!svc) return undefined;
    return viewAt(scenarioView(this.scenario, service, svc), this.updates.get(service) ?? [], at);
  }

  /** Records an accepted update and returns its operation's name. */
  apply(service: string, request: UpdateRequest, at: number): string {
    const current = this.view(service, at);
    if (!current) throw new Error(`No service ${service} in scenario ${this.scenario.name}.`);
    const { rollout } = this.scenario;
    const history = this.updates.get(service) ?? [];
    const revision = request.newRevision
      ? nextRevisionName(
          service,
          current.revisions.map((r) => r.name),
          this.random,
        )
      : undefined;
    const takes = revision ? rollout.readyAfterMs : Math.min(rollout.readyAfterMs, TRAFFIC_SETTLE_MS);
    const operation = this.operationName();
    history.push({
      operation,
      generation: current.generation + 1,
      acceptedAt: at,
      settlesAt: Math.max(at + takes, history.at(-1)?.settlesAt ?? 0),
      annotations: request.annotations,
      labels: request.labels,
      template: request.template,
      ...(request.traffic ? { traffic: request.traffic } : {}),
      ...(revision ? { revision } : {}),
      outcome: rollout.outcome,
      failureDetail: rollout.failureMessage ?? DEFAULT_FAILURE_DETAIL,
    });
    this.updates.set(service, history);
    this.operations.set(operation, { service, update: history.at(-1) });
    return operation;
  }

  /** Records a validateOnly request: an operation that is done at once. */
  validated(service: string): string {
    const operation = this.operationName();
    this.operations.set(operation, { service });
    return operation;
  }

  /** The operation at `at`, or undefined when there is no such operation. */
  operation(name: string, at: number): OperationState | undefined {
    const stored = this.operations.get(name);
    if (!stored) return undefined;
    const { service, update } = stored;
    if (!update) return { service, done: true };
    if (at < update.settlesAt) return { service, done: false };
    if (update.revision && update.outcome === 'failed') {
      // FAILED_PRECONDITION, as Cloud Run ends an operation whose revision did not become ready.
      const message = failedRevisionMessage(update.revision, update.failureDetail);
      return { service, done: true, error: { code: 9, message } };
    }
    return { service, done: true };
  }

  /** Whether the latest revision an update of `service` created is up and ready: a restart that worked. */
  restarted(service: string, at: number): boolean {
    const latest = (this.updates.get(service) ?? []).findLast((u) => u.revision !== undefined);
    return latest !== undefined && latest.outcome === 'ready' && at >= latest.settlesAt;
  }

  private operationName(): string {
    return `projects/${this.scenario.project}/locations/${this.scenario.region}/operations/${randomUUID()}`;
  }
}
