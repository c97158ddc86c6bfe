/**
 * The ack latency of `/incident ack`, `status`, `timeline` and `contacts` in incidents with long
 * timelines: the commands that once read the whole timeline on Slack's ack path. Each incident is
 * seeded through the store, as the bot records entries, then the commands are sent one at a time,
 * to the Slack app with a worker beside it.
 */
import type IORedis from 'ioredis';
import { BOT_ACTOR, type Incident } from '../../src/incident/incident';
import { newIncidentId } from '../../src/incident/incident-id';
import { RedisIncidentStore } from '../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../src/queue/key-prefix';
import { postSlashCommand, SLACK_TEST_IDS } from '../../test/support/slack-signing';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import type { BenchRig } from '../bench-rig';
import { loadFromOwnProcess, percentile, row, type SectionResult } from '../lib';

/** What sends `count` signed commands to a channel from a process of its own (see load-client.ts). */
type SendCommands = (request: {
  text: string;
  channel: string;
  count: number;
}) => Promise<{ latencies: number[]; statuses: number[] }>;

/** Sends one command to a channel and answers the ephemeral reply's text. */
type AskOnce = (request: { text: string; channel: string }) => Promise<string>;

export interface AckPathFigure {
  command: keyof typeof COMMANDS;
  entries: number;
  p50: number;
  p99: number;
}

const SIZES = [1_000, 30_000];
const COMMANDS = {
  ack: 'ack',
  status: 'status Connector recreated; watching the error rate',
  timeline: 'timeline',
  contacts: 'contacts',
} as const;
/** What each command answers when it did its work: a figure of refusals would measure nothing. */
const DONE = {
  ack: /Acknowledged|already on the timeline/,
  status: /Status posted/,
  timeline: /^Timeline, page 1 of \d+/,
  contacts: /^Contacts: primary /,
} as const;
const PER_FIGURE = 50;

/** `/incident ack`, `status`, `timeline` and `contacts`, one at a time, in incidents of 1k and 30k entries. */
export async function ackPath(rig: BenchRig): Promise<SectionResult> {
  const { base } = rig;
  const figures = await ackPathFigures(
    rig.redis,
    KeyPrefix.of(rig.config.prefix),
    (request) =>
      loadFromOwnProcess({ base, secret: SIGNING_SECRET, width: 1, channelPrefix: 'CK', ...request }),
    async ({ text, channel }) => {
      const reply = await postSlashCommand(base, SIGNING_SECRET, {
        text,
        channel_id: channel,
        trigger_id: `ask-${channel}-${Date.now()}`,
      });
      return String((reply.json as { text?: string } | undefined)?.text ?? reply.body);
    },
  );
  const rows = figures.map((f) =>
    row(
      `ack p50 / p99 of /incident ${f.command}, ${f.entries.toLocaleString('en')} timeline entries, one at a time`,
      `${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} ms`,
      'p99 < 100 ms',
      f.p99 < 100,
    ),
  );
  return { rows, results: { ackPath: figures } };
}

async function ackPathFigures(
  redis: IORedis,
  prefix: KeyPrefix,
  send: SendCommands,
  ask: AskOnce,
): Promise<AckPathFigure[]> {
  const store = new RedisIncidentStore(redis, prefix);
  const figures: AckPathFigure[] = [];
  for (const entries of SIZES) {
    const incident = await seededIncident(store, entries);
    // Warm-up, not measured: the first command in a channel loads scripts and caches.
    await send({ text: 'help', channel: incident.channelId, count: 5 });
    for (const command of Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]) {
      const reply = await ask({ text: COMMANDS[command], channel: incident.channelId });
      if (!DONE[command].test(reply)) throw new Error(`/incident ${command} answered: ${reply}`);
      const { latencies, statuses } = await send({
        text: COMMANDS[command],
        channel: incident.channelId,
        count: PER_FIGURE,
      });
      if (statuses.some((status) => status !== 200))
        throw new Error(`/incident ${command} was not acknowledged`);
      figures.push({ command, entries, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
    }
  }
  return figures;
}

/** An open incident commanded by the bench's user, who was paged at the primary tier, with `entries` entries. */
async function seededIncident(store: RedisIncidentStore, entries: number): Promise<Incident> {
  const openedAt = new Date(Date.now() - entries * 1000);
  const incident: Incident = {
    id: newIncidentId(openedAt),
    title: `Staging answers 503 (${entries} entries)`,
    severity: 'P1',
    environment: 'staging',
    channelId: `CACK${entries}`,
    channelName: `inc-bench-${entries}`,
    status: 'open',
    commander: SLACK_TEST_IDS.userId,
    openedBy: SLACK_TEST_IDS.userId,
    openedAt: openedAt.toISOString(),
    phase: 'diagnostic',
  };
  const at = (i: number) => new Date(openedAt.getTime() + i * 1000).toISOString();
  await store.create(
    incident,
    { at: at(0), actor: incident.openedBy, kind: 'opened', text: incident.title, data: {} },
    { key: `bench-ack-${incident.id}`, windowMs: 0 },
  );
  await store.append(incident.id, {
    at: at(1),
    actor: BOT_ACTOR,
    kind: 'page',
    text: 'Paged primary (infra-oncall) — open',
    data: { tier: 'primary', contact: 'infra-oncall', users: [SLACK_TEST_IDS.userId], reason: 'open' },
  });
  for (let i = 2; i < entries; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, entries - i) }, (_, j) =>
        store.append(incident.id, {
          at: at(i + j),
          actor: BOT_ACTOR,
          kind: (i + j) % 10 === 0 ? 'status' : 'note',
          text: `entry ${i + j}: connector instances ${(i + j) % 3}, <@U0BENCH> looking`,
          data: {},
        }),
      ),
    );
  }
  return incident;
}
