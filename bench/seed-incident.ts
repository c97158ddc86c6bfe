import { BOT_ACTOR, type Incident } from '../src/incident/incident';
import { newIncidentId } from '../src/incident/incident-id';
import type { RedisIncidentStore } from '../src/incident/redis-incident-store';
import { SLACK_TEST_IDS } from '../test/support/slack-signing';

/**
 * Seeds an open incident in `channelId` through the store, as the bot records entries: commanded
 * by the bench's user, who was paged at the primary tier, with `entries` timeline entries.
 */
export async function seedIncident(
  store: RedisIncidentStore,
  { entries, channelId }: { entries: number; channelId: string },
): Promise<Incident> {
  const openedAt = new Date(Date.now() - entries * 1000);
  const incident: Incident = {
    id: newIncidentId(openedAt),
    title: `Staging answers 503 (${entries} entries)`,
    severity: 'P1',
    environment: 'staging',
    channelId,
    channelName: `inc-bench-${channelId.toLowerCase()}`,
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
    { key: `bench-seed-${incident.id}`, windowMs: 0 },
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
