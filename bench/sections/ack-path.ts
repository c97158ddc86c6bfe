/**
 * The ack latency of `/incident ack`, `status`, `timeline` and `contacts` in incidents with long
 * timelines: the commands that once read the whole timeline on Slack's ack path. Each incident is
 * seeded through the store, as the bot records entries, then the commands are sent one at a time,
 * to the Slack app with a worker beside it.
 */

import { RedisIncidentStore } from '../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../src/queue/key-prefix';
import type { RedisClient } from '../../src/queue/redis-client';
import { postSlashCommand } from '../../test/support/slack-signing';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import type { BenchRig } from '../bench-rig';
import { loadFromOwnProcess, percentile, row, type SectionResult } from '../lib';
import { seedIncident } from '../seed-incident';

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
  redis: RedisClient,
  prefix: KeyPrefix,
  send: SendCommands,
  ask: AskOnce,
): Promise<AckPathFigure[]> {
  const store = new RedisIncidentStore(redis, prefix);
  const figures: AckPathFigure[] = [];
  for (const entries of SIZES) {
    const incident = await seedIncident(store, { entries, channelId: `CACK${entries}` });
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
