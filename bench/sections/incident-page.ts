/**
 * The incident page of an incident with 5,000 timeline entries: server time and weight of its
 * first page of 200 rows, fetched 20 times with the cookie a signed link hands out.
 */

import { BOT_ACTOR } from '../../src/incident/incident';
import { newIncidentId } from '../../src/incident/incident-id';
import { RedisIncidentStore } from '../../src/incident/redis-incident-store';
import { KeyPrefix } from '../../src/queue/key-prefix';
import type { RedisClient } from '../../src/queue/redis-client';
import { signToken } from '../../src/web/incident-links';
import { type BenchRig, WEB_SECRET } from '../bench-rig';
import { percentile, row, type SectionResult } from '../lib';

export async function incidentPage(rig: BenchRig): Promise<SectionResult> {
  const pageFigures = await pageTimes(rig.redis, KeyPrefix.of(rig.config.prefix), rig.base);
  const rows = [
    row(
      'incident page, 5,000 entries (a page of 200 rows): response p50 / p95 of 20, HTML size',
      `${pageFigures.p50.toFixed(0)} / ${pageFigures.p95.toFixed(0)} ms, ${(pageFigures.bytes / 1024).toFixed(0)} KB`,
      '< 100 KB',
      pageFigures.bytes < 100 * 1024,
    ),
  ];
  return { rows, results: { incidentPage: pageFigures } };
}

/** An incident with 5,000 timeline entries, then its page fetched 20 times with the link's cookie. */
async function pageTimes(redis: RedisClient, prefix: KeyPrefix, base: string) {
  const store = new RedisIncidentStore(redis, prefix);
  const openedAt = new Date(Date.now() - 5000 * 1000);
  const id = newIncidentId(openedAt);
  await store.create(
    {
      id,
      title: 'Every staging endpoint answers 503',
      severity: 'P1',
      environment: 'staging',
      channelId: 'CBENCHPAGE',
      channelName: 'inc-bench',
      status: 'open',
      commander: 'U0BENCH',
      openedBy: 'U0BENCH',
      openedAt: openedAt.toISOString(),
      phase: 'diagnostic',
    },
    { at: openedAt.toISOString(), actor: 'U0BENCH', kind: 'opened', text: 'opened', data: {} },
    { key: `bench-page-${id}`, windowMs: 0 },
  );
  for (let i = 0; i < 5000; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) =>
        store.append(id, {
          at: new Date(openedAt.getTime() + (i + j) * 1000).toISOString(),
          actor: BOT_ACTOR,
          kind: (i + j) % 7 === 0 ? 'status' : 'note',
          text: `entry ${i + j}: connector instances ${(i + j) % 3}, <@U0BENCH> looking`,
          data: {},
        }),
      ),
    );
  }
  const token = signToken(WEB_SECRET, { incidentId: id }, new Date(Date.now() + 3600_000));
  const exchange = await fetch(`${base}/incidents/${id}?token=${token}`, { redirect: 'manual' });
  const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    // The first page: a full 200 rows (the default, newest page, may hold only a few).
    const response = await fetch(`${base}/incidents/${id}?page=1`, { headers: { cookie } });
    const html = await response.text();
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`incident page answered ${response.status}`);
    bytes = Buffer.byteLength(html);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes, entries: 5001 };
}
