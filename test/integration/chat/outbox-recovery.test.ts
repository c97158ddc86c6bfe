import { RedisOutbox } from '../../../src/chat/redis-outbox';
import { OutboxHarness, waitUntil } from './outbox-harness';
import { RecordingChatSink } from './recording-chat-sink';

const text = (t: string) => ({ text: t });

describe('chat outbox across workers and restarts', () => {
  let h: OutboxHarness;
  beforeEach(() => {
    h = new OutboxHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('never posts a key twice and keeps each channel’s order with two drainers and two producers', async () => {
    const sink = new RecordingChatSink(8);
    h.startDrainer(sink, { maxChannels: 2 });
    h.startDrainer(sink, { maxChannels: 2 });
    const producers = [h.outbox, new RedisOutbox({ redis: h.connect(), prefix: h.prefix })];
    const expected: Record<string, string[]> = { C1: [], C2: [], C3: [] };
    for (let i = 0; i < 45; i++) {
      const channel = `C${(i % 3) + 1}`;
      expected[channel]?.push(`k${i}`);
      await producers[i % 2]?.put(channel, `k${i}`, text(`message ${i}`));
    }
    await h.drained();
    const keys = sink.posts.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const channel of Object.keys(expected)) {
      expect(sink.postsIn(channel).map((p) => p.key)).toEqual(expected[channel]);
    }
  });

  it('adopts a post whose answer was lost instead of posting again', async () => {
    const sink = new RecordingChatSink();
    sink.acceptThenFailNext('C1');
    await h.outbox.put('C1', 'k', text('hello'));
    h.startDrainer(sink);
    await h.drained();
    expect(sink.posts).toHaveLength(1);
    expect(sink.callsTo('C1').map((c) => c.method)).toEqual(['post', 'find']);
    expect(await h.outbox.deliveredTs('k')).toBe(sink.posts[0]?.ts);
  });

  it('adopts the post of a worker killed before it recorded the ts, once its lease lapses', async () => {
    const sink = new RecordingChatSink();
    const hang = sink.acceptThenHangNext('C1');
    await h.outbox.put('C1', 'k', text('hello'));
    await h.outbox.put('C1', 'next', text('after'));
    const first = h.startDrainer(sink, { leaseMs: 300 });
    await waitUntil(() => sink.posts.length === 1, 2000, 'the first post to be accepted');
    first.redis.disconnect(); // the process dies: no more renewals, no recording

    h.startDrainer(sink, { leaseMs: 300 });
    await h.drained();
    expect(sink.posts.map((p) => p.key)).toEqual(['k', 'next']);
    expect(sink.callsTo('C1', 'find')).toHaveLength(1);
    expect(await h.outbox.deliveredTs('k')).toBe(sink.posts[0]?.ts);
    hang.release();
  });

  it('hands its channels over at once when stopped, without waiting for the lease to lapse', async () => {
    const sink = new RecordingChatSink(20);
    for (let i = 0; i < 10; i++) await h.outbox.put('C1', `k${i}`, text(`message ${i}`));
    const first = h.startDrainer(sink, { leaseMs: 30_000 });
    await waitUntil(() => sink.posts.length >= 2, 2000, 'some posts');
    await first.drainer.stop();
    const postedBeforeStop = sink.posts.length;
    expect(await h.redis.exists(h.prefix.key('outbox', 'lease', 'C1'))).toBe(0);

    h.startDrainer(sink, { leaseMs: 30_000 });
    await h.drained(3000);
    expect(postedBeforeStop).toBeLessThan(10);
    expect(sink.posts.map((p) => p.key)).toEqual([...Array(10).keys()].map((i) => `k${i}`));
  });
});
