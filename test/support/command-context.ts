import { registry } from '../../commands';
import { parseConfig } from '../../src/config/load-config';
import type { Config, ContactTier } from '../../src/config/schema';
import type { DiagRequest, DiagStarter } from '../../src/diag/diag-launcher';
import { contactsFromFields } from '../../src/incident/contacts-view';
import type { FollowUp } from '../../src/incident/follow-up';
import type { FollowUpRequest } from '../../src/incident/follow-up-desk';
import type { Incident } from '../../src/incident/incident';
import type { IncidentCommands } from '../../src/incident/incident-desk';
import type { AddedFollowUp, DoneFollowUp } from '../../src/incident/redis-follow-ups';
import type { TimelineSlice } from '../../src/incident/timeline-slice';
import type { Invocation } from '../../src/invocation';
import { createLogger } from '../../src/log/logger';
import { decideDirectly } from '../../src/remediation/access-policy';
import type { RemediationRequest } from '../../src/remediation/remediation';
import type {
  AskOutcome,
  DecisionOutcome,
  RemediationAsk,
  RemediationCommands,
} from '../../src/remediation/remediation-desk';
import { ConfiguredAccessGate } from '../../src/router/access';
import type { CommandContext, CommandServices } from '../../src/router/subcommand';
import type { VerifyStarter } from '../../src/verify/verify-launcher';

export const STAGING_YAML =
  'environments:\n  staging: { project: acme-staging, region: us-central1, sqlInstance: staging-db, services: [backend, auth] }\n';

export function configFrom(yaml: string = STAGING_YAML): Config {
  const result = parseConfig(yaml, 'test.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** Records launches instead of queueing them: the router's contract is what it asks for. */
export class RecordingDiag implements DiagStarter {
  readonly launched: DiagRequest[] = [];
  async launch(request: DiagRequest) {
    this.launched.push(request);
    return { runId: 'd123', joined: false } as const;
  }
}

/** Asks for restarts and rollbacks, recorded; every ask is "started". */
export class RecordingRemediation implements RemediationCommands {
  readonly asked: RemediationAsk[] = [];
  async ask(ask: RemediationAsk): Promise<AskOutcome> {
    this.asked.push(ask);
    const request: RemediationRequest = {
      id: 'r0000000001',
      action: ask.action,
      environment: ask.environment.name,
      service: ask.service,
      dryRun: ask.dryRun,
      requestedBy: ask.invocation.userId,
      channelId: ask.invocation.channelId,
      requestedAt: ask.invocation.receivedAt,
      approval: 'none',
      state: ask.dryRun ? 'previewed' : 'approved',
      progress: [],
    };
    return { kind: 'started', request };
  }
  async approve(): Promise<DecisionOutcome> {
    return { kind: 'unknown' };
  }
  async deny(): Promise<DecisionOutcome> {
    return { kind: 'unknown' };
  }
  async get(): Promise<RemediationRequest | undefined> {
    return undefined;
  }
}

/**
 * The incident desk's calls the router and the incident commands make, recorded, over incidents
 * kept by channel. `paged` lists who was paged at which tier.
 */
export class RecordingIncidents implements IncidentCommands {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly byChannel = new Map<string, Incident>();
  readonly paged = new Map<string, ContactTier[]>();
  /** The incident's follow-ups, as `followup` adds them and `followups` lists them. */
  readonly followUpItems: FollowUp[] = [];

  add(incident: Incident): Incident {
    this.byChannel.set(incident.channelId, incident);
    return incident;
  }

  async forChannel(channelId: string) {
    return this.byChannel.get(channelId);
  }
  async get(id: string) {
    return [...this.byChannel.values()].find((incident) => incident.id === id);
  }
  async pagedTiers(_incident: Incident, user: string) {
    return this.paged.get(user) ?? [];
  }
  now() {
    return new Date('2026-12-03T10:00:00.000Z');
  }
  async timelineSlice(_incident: Incident, _range: { first: number; count: number }): Promise<TimelineSlice> {
    return { entries: [], total: 0 };
  }
  async contacts(_incident: Incident) {
    return contactsFromFields(new Map());
  }
  async followUps(_incident: Incident) {
    return this.followUpItems;
  }
  async followUpOwner(_incident: Incident, number: number) {
    return this.followUpItems.find((f) => f.number === number)?.owner;
  }
  async addFollowUp(incident: Incident, request: FollowUpRequest): Promise<AddedFollowUp> {
    this.calls.push({ method: 'addFollowUp', args: [incident, request] });
    const followUp: FollowUp = {
      number: this.followUpItems.length + 1,
      text: request.text,
      ...(request.owner ? { owner: request.owner } : {}),
      addedBy: request.user,
      addedAt: this.now().toISOString(),
      state: 'open',
    };
    this.followUpItems.push(followUp);
    return { kind: 'added', followUp };
  }
  async followUpDone(incident: Incident, number: number, user: string): Promise<DoneFollowUp> {
    this.calls.push({ method: 'followUpDone', args: [incident, number, user] });
    const followUp = this.followUpItems.find((f) => f.number === number);
    if (!followUp) return { kind: 'unknown' };
    if (followUp.state === 'done') return { kind: 'already', followUp };
    Object.assign(followUp, { state: 'done', doneBy: user });
    return { kind: 'done', followUp };
  }

  /** Every other desk method: recorded, answering what the commands expect. */
  private record<R>(method: string, result: R) {
    return async (...args: unknown[]): Promise<R> => {
      this.calls.push({ method, args });
      return result;
    };
  }
  pinMessage = this.record('pinMessage', undefined);
  recordCommand = this.record('recordCommand', undefined);
  repostHeader = this.record('repostHeader', undefined);
  note = this.record('note', undefined);
  status = this.record('status', undefined);
  phase = this.record('phase', true);
  commander = this.record('commander', undefined);
  ack = this.record('ack', { recorded: true, paged: true });
  escalate = this.record<ContactTier | undefined>('escalate', 'secondary');
  close = this.record('close', { alreadyClosed: false });
  open = this.record('open', 'inc-20261203-0001');
  postmortem = this.record<string | undefined>('postmortem', undefined);

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

export function openIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-20261203-0001',
    title: 'Every endpoint answers 503',
    severity: 'P1',
    environment: 'staging',
    channelId: 'CINC',
    channelName: 'inc-20261203-every-endpoint',
    status: 'open',
    commander: 'UCMDR',
    openedBy: 'UCMDR',
    openedAt: '2026-12-03T09:00:00.000Z',
    phase: 'diagnostic',
    ...overrides,
  };
}

export interface ContextOptions {
  config?: Config;
  user?: string;
  channel?: string;
  diag?: DiagStarter;
  incidents?: IncidentCommands;
  remediation?: RemediationCommands;
  verify?: VerifyStarter;
}

const unusedVerify: VerifyStarter = {
  verify: async () => ({ runId: 'v1' }),
  watch: async () => Promise.reject(new Error('not in this test')),
  stopWatches: async () => 0,
};

/**
 * What the router needs, with the real access gate over the config's lists (user ids only, no
 * user groups: those need Slack) and the recording stand-ins above.
 */
export function commandServices(config: Config, options: ContextOptions = {}): CommandServices {
  const incidents = options.incidents ?? new RecordingIncidents();
  return {
    diag: options.diag ?? new RecordingDiag(),
    incidents,
    remediation: options.remediation ?? new RecordingRemediation(),
    verify: options.verify ?? unusedVerify,
    access: new ConfiguredAccessGate({
      config,
      lists: {
        check: async (list, user) => {
          const decision = decideDirectly(list, user);
          return decision === 'needs-groups'
            ? { allowed: false, reason: 'user groups need Slack' }
            : decision;
        },
      },
      incidents,
    }),
  };
}

export function invocation(text: string, user = 'U1', channel = 'C1'): Invocation {
  return {
    id: `inv-${text.length}-${user}`,
    text,
    userId: user,
    channelId: channel,
    source: 'shell',
    receivedAt: '2026-12-03T10:00:00.000Z',
  };
}

export function commandContext(text: string, options: ContextOptions = {}): CommandContext {
  const config = options.config ?? configFrom();
  return {
    config,
    registry,
    log: createLogger({ level: 'silent' }),
    services: commandServices(config, options),
    invocation: invocation(text, options.user, options.channel),
  };
}
