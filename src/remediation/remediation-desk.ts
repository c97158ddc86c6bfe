import type { Queue } from 'bullmq';
import type { RedisOutbox } from '../chat/redis-outbox';
import type { EnvironmentConfig } from '../config/schema';
import type { Clock } from '../incident/clock';
import type { Incident, RemediationData, TimelineKind } from '../incident/incident';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { Invocation } from '../invocation';
import type { Logger } from '../log/logger';
import { whileQueueAvailable } from '../queue/queue-unavailable';
import type { RedisClient } from '../queue/redis-client';
import type { RedisRemediationStore } from './redis-remediation-store';
import {
  APPROVAL_TTL_MS,
  describeRequest,
  type RemediationAction,
  type RemediationRequest,
  remediationId,
} from './remediation';
import { addRemediationJob, remediationJobIds } from './remediation-queue';
import { showRequest } from './render-remediation';

/** How long a request may hold "the remediation in flight" of its service: approval plus the run. */
const ACTIVE_TTL_MS = APPROVAL_TTL_MS + 20 * 60_000;

export interface RemediationDeskDeps {
  redis: RedisClient;
  store: RedisRemediationStore;
  queue: Queue;
  outbox: RedisOutbox;
  incidents: RedisIncidentStore;
  clock: Clock;
  log: Logger;
}

export interface RemediationAsk {
  action: RemediationAction;
  environment: EnvironmentConfig;
  service: string;
  revision?: string;
  reason?: string;
  dryRun: boolean;
  invocation: Invocation;
  incident?: Incident;
}

export type AskOutcome =
  | { kind: 'started' | 'awaiting-approval' | 'repeated'; request: RemediationRequest }
  /** Another request of the same service is in flight; `request` is that one. */
  | { kind: 'joined' | 'busy'; request: RemediationRequest };

export type DecisionOutcome =
  | { kind: 'unknown' }
  /** No id was given and the channel has none, or several, waiting. */
  | { kind: 'none-pending' }
  | { kind: 'several-pending'; requests: RemediationRequest[] }
  | { kind: 'refused'; reason: string; request: RemediationRequest }
  | { kind: 'expired' | 'already' | 'approved' | 'denied'; request: RemediationRequest };

/** The desk's calls that the subcommands and the Approve/Deny buttons make. */
export type RemediationCommands = Pick<RemediationDesk, 'ask' | 'approve' | 'deny' | 'get'>;

/**
 * What remediation commands and buttons do on Slack's ack path: Redis only (and, for access lists
 * with user groups, a cached Slack lookup). Google Cloud is reached by the `execute` job alone.
 */
export class RemediationDesk {
  constructor(private readonly deps: RemediationDeskDeps) {}

  ask(ask: RemediationAsk): Promise<AskOutcome> {
    return whileQueueAvailable(this.deps.redis, () => this.doAsk(ask));
  }

  /** Approves `requestId`, or without one the only request waiting in `channelId`. */
  approve(requestId: string | undefined, user: string, channelId?: string): Promise<DecisionOutcome> {
    return whileQueueAvailable(this.deps.redis, () => this.decideIn(requestId, user, 'approve', channelId));
  }

  deny(requestId: string | undefined, user: string, channelId?: string): Promise<DecisionOutcome> {
    return whileQueueAvailable(this.deps.redis, () => this.decideIn(requestId, user, 'deny', channelId));
  }

  private async decideIn(
    requestId: string | undefined,
    user: string,
    decision: 'approve' | 'deny',
    channelId?: string,
  ): Promise<DecisionOutcome> {
    if (requestId) return this.decide(requestId, user, decision);
    const pending = channelId ? await this.deps.store.pendingIn(channelId) : [];
    if (pending.length === 0) return { kind: 'none-pending' };
    if (pending.length > 1) return { kind: 'several-pending', requests: pending };
    return this.decide((pending[0] as RemediationRequest).id, user, decision);
  }

  get(requestId: string): Promise<RemediationRequest | undefined> {
    return whileQueueAvailable(this.deps.redis, () => this.deps.store.get(requestId));
  }

  private async doAsk(ask: RemediationAsk): Promise<AskOutcome> {
    const { store, clock } = this.deps;
    const { invocation, environment, incident } = ask;
    const id = remediationId(invocation.id);
    const repeated = await store.get(id);
    if (repeated) return { kind: 'repeated', request: repeated };

    const base: Omit<RemediationRequest, 'state' | 'approval'> = {
      id,
      action: ask.action,
      environment: environment.name,
      service: ask.service,
      ...(ask.revision ? { revision: ask.revision } : {}),
      ...(ask.reason ? { reason: ask.reason } : {}),
      dryRun: ask.dryRun,
      requestedBy: invocation.userId,
      channelId: invocation.channelId,
      ...(incident ? { incidentId: incident.id } : {}),
      requestedAt: clock.now().toISOString(),
      progress: [],
    };
    const approval = ask.dryRun ? 'none' : environment.remediation.approval;
    if (!ask.dryRun) {
      const holder = await store.claimActive(environment.name, ask.service, id, ACTIVE_TTL_MS);
      if (holder !== id) {
        const other = await store.get(holder);
        if (other) {
          const same = other.action === ask.action && (ask.revision ?? '') === (other.revision ?? '');
          return { kind: same ? 'joined' : 'busy', request: other };
        }
        // The holder's record is gone (expired); take over the slot.
        await store.releaseActive(environment.name, ask.service, holder);
        await store.claimActive(environment.name, ask.service, id, ACTIVE_TTL_MS);
      }
    }
    const request: RemediationRequest = {
      ...base,
      approval,
      state: approval === 'required' ? 'awaiting-approval' : 'approved',
      ...(approval === 'required'
        ? { expiresAt: new Date(clock.now().getTime() + APPROVAL_TTL_MS).toISOString() }
        : {}),
    };
    try {
      const { created, request: stored } = await store.create(request);
      if (!created) return { kind: 'repeated', request: stored };
      await recordRemediation(
        this.deps,
        request,
        'remediation-requested',
        `${request.dryRun ? 'Dry run of ' : ''}${describeRequest(request)} requested${request.reason ? `: ${request.reason}` : ''}`,
      );
      await showRequest(this.deps.outbox, request);
      if (request.state === 'awaiting-approval') await store.markPending(request.channelId, id);
      if (request.state === 'approved') {
        await addRemediationJob(this.deps.queue, 'execute', { requestId: id });
      } else {
        await addRemediationJob(this.deps.queue, 'expire', { requestId: id }, { delay: APPROVAL_TTL_MS });
      }
    } catch (error) {
      if (!ask.dryRun) await store.releaseActive(environment.name, ask.service, id).catch(() => {});
      throw error;
    }
    return { kind: request.state === 'approved' ? 'started' : 'awaiting-approval', request };
  }

  private async decide(
    requestId: string,
    user: string,
    decision: 'approve' | 'deny',
  ): Promise<DecisionOutcome> {
    const { store, clock } = this.deps;
    const request = await store.get(requestId);
    if (!request) return { kind: 'unknown' };
    if (request.state !== 'awaiting-approval') return { kind: 'already', request };
    if (request.expiresAt && clock.now().getTime() >= Date.parse(request.expiresAt)) {
      const expired = await expireRequest(this.deps, requestId);
      return { kind: 'expired', request: expired ?? request };
    }
    // Who may decide at all is the approve and deny subcommands' declared access, checked by the
    // router (and for the buttons, by the same check). That a second person approves is the desk's.
    if (decision === 'approve' && user === request.requestedBy) {
      return this.refuse(request, user, 'you asked for this change; a second person must approve it');
    }
    const now = clock.now().toISOString();
    const to = decision === 'approve' ? 'approved' : 'denied';
    const moved = await store.transition(
      requestId,
      ['awaiting-approval'],
      to,
      decision === 'approve' ? { approvedBy: user, decidedAt: now } : { deniedBy: user, decidedAt: now },
    );
    if (!moved.ok) {
      return moved.reason === 'not_found' ? { kind: 'unknown' } : { kind: 'already', request: moved.request };
    }
    const decided = moved.request;
    await store.unmarkPending(decided.channelId, requestId);
    await recordRemediation(
      this.deps,
      decided,
      decision === 'approve' ? 'remediation-approved' : 'remediation-denied',
      `${describeRequest(decided)} ${decision === 'approve' ? 'approved' : 'denied'} by <@${user}>`,
      {},
      user,
    );
    await showRequest(this.deps.outbox, decided);
    if (decision === 'approve') {
      await addRemediationJob(this.deps.queue, 'execute', { requestId });
    } else {
      await store.releaseActive(decided.environment, decided.service, requestId);
    }
    await this.deps.queue.remove(remediationJobIds.expire(requestId)).catch(() => 0);
    return { kind: decision === 'approve' ? 'approved' : 'denied', request: decided };
  }

  private async refuse(request: RemediationRequest, user: string, reason: string): Promise<DecisionOutcome> {
    this.deps.log.warn({ requestId: request.id, user }, `remediation decision refused: ${reason}`);
    await recordRemediation(
      this.deps,
      request,
      'remediation-refused',
      `<@${user}> could not decide on ${describeRequest(request)}: ${reason}`,
      { outcome: `refused: ${reason}` },
      user,
      `remediation-refused:${request.id}:${user}`,
    );
    return { kind: 'refused', reason, request };
  }
}

/** Puts a remediation event on its incident's timeline once (requests outside incident channels have none). */
export async function recordRemediation(
  deps: Pick<RemediationDeskDeps, 'incidents' | 'clock'>,
  request: Omit<RemediationRequest, 'state' | 'approval'>,
  kind: TimelineKind,
  text: string,
  extra: Partial<RemediationData> = {},
  actor = request.requestedBy,
  key = `${kind}:${request.id}`,
): Promise<void> {
  if (!request.incidentId) return;
  const data: RemediationData = {
    requestId: request.id,
    action: request.action,
    service: request.service,
    environment: request.environment,
    ...extra,
  };
  await deps.incidents.appendOnce(
    request.incidentId,
    {
      at: deps.clock.now().toISOString(),
      actor,
      kind,
      text,
      data: { ...data, ...(request.dryRun ? { dryRun: true } : {}) },
    },
    key,
  );
}

/** Ends the approval window of a request still waiting: nothing changes, the slot is freed. */
export async function expireRequest(
  deps: Pick<RemediationDeskDeps, 'store' | 'incidents' | 'clock' | 'outbox'>,
  requestId: string,
): Promise<RemediationRequest | undefined> {
  const moved = await deps.store.transition(requestId, ['awaiting-approval'], 'expired', {
    finishedAt: deps.clock.now().toISOString(),
    outcome: 'expired without approval',
  });
  if (!moved.ok) return moved.reason === 'conflict' ? moved.request : undefined;
  const request = moved.request;
  await deps.store.releaseActive(request.environment, request.service, request.id);
  await deps.store.unmarkPending(request.channelId, request.id);
  await recordRemediation(
    deps,
    request,
    'remediation-expired',
    `${describeRequest(request)} expired without approval`,
    {
      outcome: 'expired without approval',
    },
  );
  await showRequest(deps.outbox, request);
  return request;
}
