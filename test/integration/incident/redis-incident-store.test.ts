import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import { BOT_ACTOR, type Incident, type NewTimelineEntry } from '../../../src/incident/incident';
import { newIncidentId } from '../../../src/incident/incident-id';
import { incidentKeys } from '../../../src/incident/incident-keys';
import { IncidentStoreError } from '../../../src/incident/incident-store-error';
import { RedisIncidentStore } from '../../../src/incident/redis-incident-store';
import type { IncidentStoreWarning } from '../../../src/incident/timeline-reader';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { deleteKeys, REDIS_URL } from '../../support/test-config';
import { waitUntil } from '../../support/wait-for';

const OPENED_AT = '2025-03-14T09:30:00.000Z';
const DEDUPE_WINDOW_MS = 60_000;

let token: string;
let prefix: KeyPrefix;
let connections: Redis[];
let warnings: IncidentStoreWarning[];

/** A store on its own connection, as another bot process (or the same one after a restart) would have. */
function newStore(): { store: RedisIncidentStore; redis: Redis } {
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  return { store: new RedisIncidentStore(redis, prefix, { onWarning: (w) => warnings.push(w) }), redis };
}

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: newIncidentId(),
    title: 'Staging 503s: Cloud SQL socket connection failed',
    severity: 'P1',
    environment: 'staging',
    channelId: `C${randomBytes(4).toString('hex').toUpperCase()}`,
    channelName: 'inc-20250314-staging-503s',
    status: 'open',
    commander: 'U_ALICE',
    openedBy: 'U_ALICE',
    openedAt: OPENED_AT,
    phase: 'diagnostic',
    ...overrides,
  };
}

function entry(overrides: Partial<NewTimelineEntry> = {}): NewTimelineEntry {
  return { at: OPENED_AT, actor: BOT_ACTOR, kind: 'note', text: 'a note', data: {}, ...overrides };
}

const openedEntry = (who = 'U_ALICE') => entry({ actor: who, kind: 'opened', text: 'opened' });
const dedupe = (key = 'U_ALICE:staging 503s', windowMs = DEDUPE_WINDOW_MS) => ({ key, windowMs });
const closedEntry = () =>
  entry({ kind: 'closed', text: 'connector scaled', data: { resolution: 'connector scaled' } });

beforeEach(() => {
  token = randomBytes(6).toString('hex');
  prefix = KeyPrefix.of(`wr-test-${token}`);
  connections = [];
  warnings = [];
});

afterEach(async () => {
  await deleteKeys(prefix.pattern);
  await Promise.all(connections.map((redis) => redis.quit()));
});

describe('RedisIncidentStore create and get', () => {
  it('stores the incident, finds it by id and by channel, lists it as open and records `opened`', async () => {
    const { store } = newStore();
    const inc = incident();
    await expect(store.create(inc, openedEntry(), dedupe())).resolves.toEqual({
      incident: inc,
      created: true,
    });

    await expect(store.get(inc.id)).resolves.toEqual(inc);
    await expect(store.getByChannel(inc.channelId)).resolves.toEqual(inc);
    await expect(store.listOpen()).resolves.toEqual([inc]);
    const { entries } = await store.timeline(inc.id);
    expect(entries).toEqual([{ ...openedEntry(), id: expect.stringMatching(/^\d+-\d+$/) }]);
  });

  it('answers undefined for an unknown id, an unknown channel and an id unusable in a key', async () => {
    const { store } = newStore();
    await expect(store.get('inc-nothere')).resolves.toBeUndefined();
    await expect(store.get('a:b')).resolves.toBeUndefined();
    await expect(store.getByChannel('C_NONE')).resolves.toBeUndefined();
  });

  it('returns the first incident, and records one `opened`, when the same open is retried within the window', async () => {
    const { store } = newStore();
    const first = incident();
    await store.create(first, openedEntry(), dedupe());
    const retry = await store.create(incident(), openedEntry(), dedupe());

    expect(retry).toEqual({ incident: first, created: false });
    await expect(store.listOpen()).resolves.toEqual([first]);
    expect((await store.timeline(first.id)).entries.map((e) => e.kind)).toEqual(['opened']);
  });

  it('creates exactly one incident when the same open races on two connections', async () => {
    const [a, b] = [newStore().store, newStore().store];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).create(incident(), openedEntry(), dedupe())),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
    await expect(a.listOpen()).resolves.toHaveLength(1);
  });

  it('opens a second incident for the same key once the window has passed', async () => {
    const { store, redis } = newStore();
    const first = incident();
    await store.create(first, openedEntry(), dedupe('k', 50));
    // The window is over when Redis has expired the key that holds it.
    const window = incidentKeys(prefix).dedupe('k');
    await waitUntil(async () => (await redis.exists(window)) === 0, 2000, 'the dedupe window to pass');
    const second = await store.create(incident(), openedEntry(), dedupe('k', 50));

    expect(second.created).toBe(true);
    expect(second.incident.id).not.toBe(first.id);
    await expect(store.listOpen()).resolves.toHaveLength(2);
  });

  it('treats a repeated id as the same incident even with another dedupe key', async () => {
    const { store } = newStore();
    const inc = incident();
    await store.create(inc, openedEntry(), dedupe('first'));
    const again = await store.create({ ...inc, title: 'changed' }, openedEntry(), dedupe('second'));
    expect(again).toEqual({ incident: inc, created: false });
  });

  it('refuses a channel that already belongs to another incident, writing nothing', async () => {
    const { store } = newStore();
    const first = incident();
    await store.create(first, openedEntry(), dedupe('a'));
    const intruder = incident({ channelId: first.channelId });

    await expect(store.create(intruder, openedEntry(), dedupe('b'))).rejects.toMatchObject({
      code: 'channel_taken',
      holder: first.id,
    });
    await expect(store.get(intruder.id)).resolves.toBeUndefined();
    await expect(store.getByChannel(first.channelId)).resolves.toEqual(first);
  });

  it('refuses a new incident that is not open, as a programming error', async () => {
    const { store } = newStore();
    const closed = incident({ status: 'closed' });
    await expect(store.create(closed, openedEntry(), dedupe())).rejects.toThrow(TypeError);
  });
});

describe('RedisIncidentStore timeline', () => {
  async function opened(store: RedisIncidentStore): Promise<Incident> {
    return (await store.create(incident(), openedEntry(), dedupe())).incident;
  }

  it('pages 2,500 entries in arrival order, 500 at a time, with nothing lost or repeated', async () => {
    const { store } = newStore();
    const inc = await opened(store);
    for (let i = 0; i < 2500; i++) await store.append(inc.id, entry({ text: `n${i}` }));

    const pages: string[][] = [];
    let after: string | undefined;
    do {
      const page = await store.timeline(inc.id, { after, count: 500 });
      pages.push(page.entries.map((e) => e.text));
      after = page.next;
    } while (after !== undefined);

    expect(pages.map((p) => p.length)).toEqual([500, 500, 500, 500, 500, 1]);
    expect(pages.flat()).toEqual(['opened', ...Array.from({ length: 2500 }, (_, i) => `n${i}`)]);
  });

  it('keeps arrival order in `timeline` and time order in `timelineByTime` for a backdated pin', async () => {
    const { store } = newStore();
    const inc = await opened(store);
    await store.append(
      inc.id,
      entry({ at: '2025-03-14T09:40:00Z', text: 'diag started', kind: 'diag-started' }),
    );
    await store.append(inc.id, entry({ at: '2025-03-14T09:45:00Z', text: 'status', kind: 'status' }));
    // Pinned at 09:35, a message posted before the two entries above were recorded.
    await store.append(
      inc.id,
      entry({ at: '2025-03-14T09:35:00Z', text: 'pinned', kind: 'pin', actor: 'U_BOB' }),
    );
    await store.append(inc.id, entry({ at: '2025-03-14T09:45:00Z', text: 'same time, later' }));

    const arrival = (await store.timeline(inc.id)).entries.map((e) => e.text);
    expect(arrival).toEqual(['opened', 'diag started', 'status', 'pinned', 'same time, later']);
    const byTime = (await store.timelineByTime(inc.id)).map((e) => e.text);
    expect(byTime).toEqual(['opened', 'pinned', 'diag started', 'status', 'same time, later']);
  });

  it('round-trips entry data as JSON', async () => {
    const { store } = newStore();
    const inc = await opened(store);
    const data = {
      tier: 'primary',
      users: ['U1', 'U2'],
      nested: { n: 1.5, ok: true, none: null },
      text: 'é🔥',
    };
    const written = await store.append(inc.id, entry({ kind: 'page', data }));
    const read = (await store.timeline(inc.id, { after: (await store.timeline(inc.id)).entries[0].id }))
      .entries;
    expect(read).toEqual([written]);
    expect(read[0].data).toEqual(data);
  });

  it('skips a hand-edited, unreadable entry with a warning instead of failing the read', async () => {
    const { store, redis } = newStore();
    const inc = await opened(store);
    const key = `${prefix.tag}:incident:${inc.id}:timeline`;
    const badData = await redis.xadd(
      key,
      '*',
      'at',
      OPENED_AT,
      'actor',
      'U1',
      'kind',
      'note',
      'text',
      'x',
      'data',
      '{oops',
    );
    const badKind = await redis.xadd(
      key,
      '*',
      'at',
      OPENED_AT,
      'actor',
      'U1',
      'kind',
      'gossip',
      'text',
      'x',
      'data',
      '{}',
    );
    await store.append(inc.id, entry({ text: 'after' }));

    expect((await store.timeline(inc.id)).entries.map((e) => e.text)).toEqual(['opened', 'after']);
    expect(warnings.map((w) => w.entryId)).toEqual([badData, badKind]);
    expect((await store.timelineByTime(inc.id)).map((e) => e.text)).toEqual(['opened', 'after']);
  });

  it('moves past a page of nothing but unreadable entries', async () => {
    const { store, redis } = newStore();
    const inc = await opened(store);
    const key = `${prefix.tag}:incident:${inc.id}:timeline`;
    for (let i = 0; i < 3; i++) await redis.xadd(key, '*', 'kind', 'note');
    await store.append(inc.id, entry({ text: 'after' }));

    const first = await store.timeline(inc.id, { count: 4 });
    expect(first.entries.map((e) => e.text)).toEqual(['opened']);
    const second = await store.timeline(inc.id, { after: first.next, count: 4 });
    expect(second.entries.map((e) => e.text)).toEqual(['after']);
  });

  it('writes no entry for an unknown incident', async () => {
    const { store, redis } = newStore();
    await expect(store.append('inc-unknown', entry())).rejects.toMatchObject({ code: 'not_found' });
    await expect(redis.exists(`${prefix.tag}:incident:inc-unknown:timeline`)).resolves.toBe(0);
  });

  it('appends once per idempotency key and returns the first entry to the repeat', async () => {
    const { store } = newStore();
    const inc = await opened(store);
    const first = await store.appendOnce(
      inc.id,
      entry({ kind: 'page', text: 'paged infra' }),
      'page:primary:1',
    );
    const repeat = await store.appendOnce(inc.id, entry({ kind: 'page', text: 'again' }), 'page:primary:1');

    expect(first.appended).toBe(true);
    expect(repeat).toEqual({ entry: first.entry, appended: false });
    expect((await store.timeline(inc.id)).entries.map((e) => e.text)).toEqual(['opened', 'paged infra']);
  });

  it('appends once when the same key races on two connections', async () => {
    const [a, b] = [newStore().store, newStore().store];
    const inc = await opened(a);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).appendOnce(inc.id, entry({ kind: 'ack' }), 'ack:U_BOB'),
      ),
    );
    expect(results.filter((r) => r.appended)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect((await a.timeline(inc.id)).entries).toHaveLength(2);
  });
});

describe('RedisIncidentStore update', () => {
  it('loses no append and no field when updates and appends run concurrently on two connections', async () => {
    const [a, b] = [newStore().store, newStore().store];
    const inc = (await a.create(incident(), openedEntry(), dedupe())).incident;
    // Loads the scripts first, so no NOSCRIPT fallback reorders one connection's calls.
    await a.update(inc.id, { phase: 'diagnostic' });
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => a.append(inc.id, entry({ text: `n${i}` }))),
      ...Array.from({ length: 100 }, (_, i) => b.update(inc.id, { phase: `phase-${i}` })),
      ...Array.from({ length: 100 }, (_, i) => a.update(inc.id, { commander: `U_${i}` })),
    ]);
    const stored = await b.get(inc.id);
    expect(stored).toMatchObject({ phase: 'phase-99', commander: 'U_99', title: inc.title });
    expect((await b.timelineByTime(inc.id)).filter((e) => e.kind === 'note')).toHaveLength(200);
  });

  it('returns the updated record and moves the channel index when the channel changes', async () => {
    const { store } = newStore();
    const inc = (await store.create(incident({ channelId: '' }), openedEntry(), dedupe())).incident;
    const updated = await store.update(inc.id, { channelId: 'C_NEW', headerTs: '1710408600.000100' });

    expect(updated).toEqual({ ...inc, channelId: 'C_NEW', headerTs: '1710408600.000100' });
    await expect(store.getByChannel('C_NEW')).resolves.toEqual(updated);
    await store.update(inc.id, { channelId: 'C_NEWER' });
    await expect(store.getByChannel('C_NEW')).resolves.toBeUndefined();
  });

  it('refuses fields owned by create and close, and unknown incidents', async () => {
    const { store } = newStore();
    const inc = (await store.create(incident(), openedEntry(), dedupe())).incident;
    await expect(store.update(inc.id, { status: 'closed' } as never)).rejects.toThrow(TypeError);
    await expect(store.update('inc-unknown', { phase: 'x' })).rejects.toBeInstanceOf(IncidentStoreError);
  });
});

describe('RedisIncidentStore close', () => {
  it('closes once: a second close changes nothing and says it was already closed', async () => {
    const { store } = newStore();
    const inc = (await store.create(incident(), openedEntry(), dedupe())).incident;
    const first = await store.close(inc.id, '2025-03-14T12:00:00Z', 'connector scaled', closedEntry());
    const second = await store.close(inc.id, '2025-03-14T13:00:00Z', 'other', closedEntry());

    const closed = {
      ...inc,
      status: 'closed',
      closedAt: '2025-03-14T12:00:00Z',
      resolution: 'connector scaled',
    };
    expect(first).toEqual({ incident: closed, alreadyClosed: false });
    expect(second).toEqual({ incident: closed, alreadyClosed: true });
    await expect(store.listOpen()).resolves.toEqual([]);
    await expect(store.listRecentlyClosed()).resolves.toEqual([closed]);
    const kinds = (await store.timeline(inc.id)).entries.map((e) => e.kind);
    expect(kinds).toEqual(['opened', 'closed']);
  });

  it('says not_found for an unknown incident', async () => {
    const { store } = newStore();
    await expect(store.close('inc-unknown', OPENED_AT, 'x', closedEntry())).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('RedisIncidentStore persistence and keys', () => {
  it('keeps everything in Redis: a new store on a new connection sees the record, timeline and markers', async () => {
    const before = newStore();
    const inc = (await before.store.create(incident(), openedEntry(), dedupe())).incident;
    await before.store.appendOnce(inc.id, entry({ kind: 'ack' }), 'ack:U_BOB');
    await before.store.update(inc.id, { phase: 'restoration' });
    await before.redis.quit();
    connections.splice(connections.indexOf(before.redis), 1);

    const { store } = newStore();
    await expect(store.get(inc.id)).resolves.toEqual({ ...inc, phase: 'restoration' });
    await expect(store.getByChannel(inc.channelId)).resolves.toMatchObject({ id: inc.id });
    await expect(store.listOpen()).resolves.toHaveLength(1);
    expect((await store.appendOnce(inc.id, entry({ kind: 'ack' }), 'ack:U_BOB')).appended).toBe(false);
    await expect(store.create(incident(), openedEntry(), dedupe())).resolves.toMatchObject({
      created: false,
    });
    expect((await store.timeline(inc.id)).entries.map((e) => e.kind)).toEqual(['opened', 'ack']);
  });

  it('puts every key under the hash-tagged prefix and sets no TTL on the record', async () => {
    const { store, redis } = newStore();
    const inc = (await store.create(incident(), openedEntry(), dedupe())).incident;
    await store.appendOnce(inc.id, entry(), 'once');
    await store.close(inc.id, '2025-03-14T12:00:00Z', 'fixed', closedEntry());

    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `*${token}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    // record, timeline, once markers, state, by-time index, channel index, closed set, dedupe (the
    // open set is empty, so gone; no timer was set, so there is no timer set either).
    expect(keys).toHaveLength(8);
    for (const key of keys) expect(key.startsWith(`${prefix.tag}:`)).toBe(true);
    await expect(redis.ttl(`${prefix.tag}:incident:${inc.id}`)).resolves.toBe(-1);
    await expect(redis.ttl(`${prefix.tag}:incident:${inc.id}:timeline`)).resolves.toBe(-1);
  });

  it('reports a hand-broken record as malformed, naming its key', async () => {
    const { store, redis } = newStore();
    const inc = (await store.create(incident(), openedEntry(), dedupe())).incident;
    await redis.hdel(`${prefix.tag}:incident:${inc.id}`, 'severity');
    await expect(store.get(inc.id)).rejects.toMatchObject({
      code: 'malformed_record',
      message: expect.stringContaining(`${prefix.tag}:incident:${inc.id}`),
    });
  });
});
