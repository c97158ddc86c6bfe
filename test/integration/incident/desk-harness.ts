import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis, { type Command, type Redis } from 'ioredis';
import { registry } from '../../../commands';
import type { ChatMessage } from '../../../src/chat/message';
import { RedisOutbox } from '../../../src/chat/redis-outbox';
import { parseConfig } from '../../../src/config/load-config';
import type { Config } from '../../../src/config/schema';
import { systemClock } from '../../../src/incident/clock';
import { BOT_ACTOR, type Incident, type NewTimelineEntry } from '../../../src/incident/incident';
import type { IncidentJobDeps } from '../../../src/incident/incident-deps';
import { IncidentDesk } from '../../../src/incident/incident-desk';
import { newIncidentId } from '../../../src/incident/incident-id';
import { incidentKeys } from '../../../src/incident/incident-keys';
import { INCIDENT_QUEUE } from '../../../src/incident/incident-queue';
import { RedisIncidentStore } from '../../../src/incident/redis-incident-store';
import { encodeEntry } from '../../../src/incident/timeline-codec';
import { createLogger } from '../../../src/log/logger';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { CommandInput } from '../../../src/router/command-input';
import type { CommandContext } from '../../../src/router/subcommand';
import { lex } from '../../../src/router/tokenize';
import type { SlackWorkspace } from '../../../src/slack/slack-workspace';
import { commandServices } from '../../support/command-context';
import { deleteKeys, REDIS_URL, stagingConfigYaml } from '../../support/test-config';

/** Three tiers with one person each, so pages, acks and escalations have someone to name. */
const CONTACTS = `contacts:
  infra-oncall: { tier: primary, slack: [U0ONCALL] }
  gcp-support: { tier: secondary, slack: [U0SUPPORT] }
  leadership: { tier: executive, slack: [U0VP] }`;

/** A command a connection sent, and the size of its reply (strings and buffers, in bytes) once it came. */
export interface SentCommand {
  name: string;
  args: string[];
  replyBytes: number;
}
export type CommandLog = SentCommand[];

/** A command as Redis ran it, and whether a script ran it. */
export interface ExecutedCommand {
  name: string;
  args: string[];
  inScript: boolean;
}

/**
 * The incident desk and the lifecycle's dependencies on real Redis, over connections whose every
 * command is logged (ioredis' `sendCommand`), under a prefix of the test's own.
 */
export class DeskHarness {
  readonly commands: CommandLog = [];
  readonly config: Config;
  readonly redis: Redis;
  readonly store: RedisIncidentStore;
  readonly queue: Queue;
  readonly deps: IncidentJobDeps;
  readonly desk: IncidentDesk;
  private readonly prefix: KeyPrefix;

  constructor() {
    const token = randomBytes(4).toString('hex');
    this.prefix = KeyPrefix.of(`wr-desk-${token}`);
    const parsed = parseConfig(stagingConfigYaml(`wr-desk-${token}`, CONTACTS), 'test.yml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    this.config = parsed.config;
    this.redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    logCommands(this.redis, this.commands);
    this.store = new RedisIncidentStore(this.redis, this.prefix, { onWarning: () => {} });
    this.queue = new Queue(INCIDENT_QUEUE, { connection: this.redis, prefix: this.prefix.tag });
    this.deps = {
      store: this.store,
      outbox: new RedisOutbox({ redis: this.redis, prefix: this.prefix }),
      queue: this.queue,
      config: this.config,
      clock: systemClock,
      log: createLogger({ level: 'silent' }),
      workspace: new StubWorkspace(),
    };
    this.desk = new IncidentDesk({ ...this.deps, redis: this.redis });
  }

  /** The commands `work` sends, on every connection of the harness. */
  async commandsOf(work: () => Promise<unknown>): Promise<CommandLog> {
    const from = this.commands.length;
    await work();
    return this.commands.slice(from);
  }

  /**
   * What Redis itself ran on this harness's keys while `work` ran, commands inside scripts
   * included (seen through MONITOR): what a script reads is counted too.
   */
  async executedOf(work: () => Promise<unknown>): Promise<ExecutedCommand[]> {
    const monitor = await this.redis.monitor();
    const executed: ExecutedCommand[] = [];
    const marker = `${this.prefix.tag}:monitor-end:${randomBytes(4).toString('hex')}`;
    let ended: () => void = () => {};
    const end = new Promise<void>((resolve) => {
      ended = resolve;
    });
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[1] === marker) ended();
      else if (args.some((arg) => arg.startsWith(this.prefix.tag)))
        executed.push({
          name: (args[0] ?? '').toLowerCase(),
          args: args.slice(1),
          inScript: source.includes('lua'),
        });
    });
    try {
      await work();
      // MONITOR reports in execution order: once the marker shows, everything before it has.
      await this.redis.exists(marker);
      await end;
    } finally {
      monitor.disconnect();
    }
    return executed;
  }

  /**
   * The reply of `/incident <line>` typed in the incident's channel, run as the router runs it once
   * it has found the incident and recorded the command: parsed, then run against the real desk.
   */
  async reply(incident: Incident, line: string): Promise<ChatMessage> {
    const lexed = lex(line);
    if (!lexed.ok) throw new Error(lexed.error);
    const command = registry.find((c) => c.name === lexed.tokens[0]?.text);
    const prepared = command?.prepare(new CommandInput(line, lexed.tokens.slice(1)), this);
    if (!prepared?.ok) throw new Error(`/incident ${line}: ${prepared?.error ?? 'no such command'}`);
    const context: CommandContext = {
      config: this.config,
      registry,
      log: this.deps.log,
      // The incident commands reach the real desk; nothing else is used.
      services: commandServices(this.config, { incidents: this.desk }),
      invocation: {
        id: `inv-${randomBytes(4).toString('hex')}`,
        text: line,
        userId: 'U0CMDR',
        channelId: incident.channelId,
        source: 'shell',
        receivedAt: new Date().toISOString(),
      },
    };
    return (await prepared.call.run(context, incident)).reply;
  }

  /** An open incident in a channel of its own, recorded as the lifecycle records one. */
  async openIncident(overrides: Partial<Incident> = {}): Promise<Incident> {
    const openedAt = new Date(Date.now() - 3_600_000).toISOString();
    const incident: Incident = {
      id: newIncidentId(),
      title: 'Every staging endpoint answers 503',
      severity: 'P1',
      environment: 'staging',
      channelId: `C${randomBytes(4).toString('hex').toUpperCase()}`,
      channelName: 'inc-staging-503',
      status: 'open',
      commander: 'U0CMDR',
      openedBy: 'U0CMDR',
      openedAt,
      phase: 'diagnostic',
      ...overrides,
    };
    const opened = { at: openedAt, actor: 'U0CMDR', kind: 'opened', text: incident.title, data: {} } as const;
    await this.store.create(incident, opened, { key: `open:${incident.id}`, windowMs: 0 });
    return incident;
  }

  /** One of the incident's Redis keys, named as the store names it, e.g. `timeline` or `state`. */
  key(incident: Incident, name: 'timeline' | 'state' | 'timelineByTime' | 'timers'): string {
    return incidentKeys(this.prefix)[name](incident.id);
  }

  /** Where versions before this one kept the incident's state hash and by-time index. */
  retiredStateKeys(incident: Incident): string[] {
    return incidentKeys(this.prefix).retiredState(incident.id);
  }

  /**
   * Appends entries as a process of an earlier version does during a rolling deploy, or anything
   * that writes the stream without the store's script: a bare XADD of the codec's fields, which
   * leaves the state and the by-time index as they were.
   */
  async xaddWithoutScript(incident: Incident, entries: NewTimelineEntry[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const entry of entries) {
      const [at, actor, kind, text, data] = encodeEntry(entry);
      pipeline.xadd(
        this.key(incident, 'timeline'),
        '*',
        'at',
        at,
        'actor',
        actor,
        'kind',
        kind,
        'text',
        text,
        'data',
        data,
      );
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /**
   * `count` notes, recorded as the bot records them (through the store, a thousand in flight at a
   * time), one second after the opening: history the state need not know about.
   */
  async addNotes(incident: Incident, count: number): Promise<void> {
    const at = new Date(Date.parse(incident.openedAt) + 1000).toISOString();
    for (let done = 0; done < count; done += 1000) {
      await Promise.all(
        Array.from({ length: Math.min(1000, count - done) }, (_, i) =>
          this.store.append(incident.id, {
            at,
            actor: 'U0NOTE',
            kind: 'note',
            text: `note ${done + i}`,
            data: {},
          }),
        ),
      );
    }
  }

  /** A page of `tier` reaching `users`, written as paging writes it. */
  page(incident: Incident, tier: string, users: string[], minutesIn: number): Promise<unknown> {
    return this.store.append(
      incident.id,
      this.entry(incident, minutesIn, 'page', { tier, users, contact: tier }),
    );
  }

  entry(incident: Incident, minutesIn: number, kind: NewTimelineEntry['kind'], data = {}): NewTimelineEntry {
    const at = new Date(Date.parse(incident.openedAt) + minutesIn * 60_000).toISOString();
    return {
      at,
      actor: BOT_ACTOR,
      kind,
      text: `${kind} at ${minutesIn}m`,
      data: { reason: 'open', ...data },
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
    await deleteKeys(this.prefix.pattern);
    await this.redis.quit();
  }
}

/** Appends each command the connection sends to `log`, with its reply's size once it comes. */
function logCommands(redis: Redis, log: CommandLog): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, stream?: unknown) => {
    const sent: SentCommand = {
      name: command.name.toLowerCase(),
      args: command.args.map((arg) => String(arg)),
      replyBytes: 0,
    };
    log.push(sent);
    command.promise.then(
      (reply) => {
        sent.replyBytes = sizeOf(reply);
      },
      () => {},
    );
    return send(command, stream as never);
  }) as typeof redis.sendCommand;
}

function sizeOf(reply: unknown): number {
  if (typeof reply === 'string') return Buffer.byteLength(reply);
  if (Buffer.isBuffer(reply)) return reply.length;
  if (Array.isArray(reply)) return reply.reduce((sum: number, item) => sum + sizeOf(item), 0);
  return 8;
}

/** A workspace where everything succeeds at once: channels are created, everyone gets a DM. */
class StubWorkspace implements SlackWorkspace {
  async createChannel(name: string) {
    return { ok: true as const, id: `C${name.length}${randomBytes(3).toString('hex').toUpperCase()}` };
  }
  async findChannelByName() {
    return undefined;
  }
  async invite() {
    return { invited: [], skipped: [] } as never;
  }
  async setTopic() {}
  async pin() {}
  async archive() {}
  async expandUserGroup(id: string) {
    return [id];
  }
  async openDirectMessage(user: string) {
    return { ok: true as const, channel: `D${user}` };
  }
  async permalink() {
    return undefined;
  }
  async message() {
    return undefined;
  }
}
