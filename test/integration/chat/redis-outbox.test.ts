import { ChatDeliveryError } from '../../../src/chat/chat-sink';
import { OutboxHarness, sleep, waitUntil } from './outbox-harness';
import { RecordingChatSink } from './recording-chat-sink';

const text = (t: string) => ({ text: t });

describe('chat outbox', () => {
  let h: OutboxHarness;
  beforeEach(() => {
    h = new OutboxHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('posts each channel’s messages in the order they were put, across 50 interleaved puts on 3 channels', async () => {
    const sink = new RecordingChatSink(5);
    h.startDrainer(sink);
    const channels = ['C1', 'C2', 'C3'];
    const expected: Record<string, string[]> = { C1: [], C2: [], C3: [] };
    for (let i = 0; i < 50; i++) {
      const channel = channels[(i * 7 + (i >> 2)) % 3] as string;
      expected[channel]?.push(`m${i}`);
      await h.outbox.put(channel, `m${i}`, text(`message ${i}`));
      if (i % 5 === 0) await sleep(3);
    }
    await h.drained();
    for (const channel of channels) {
      expect(sink.postsIn(channel).map((p) => p.key)).toEqual(expected[channel]);
    }
    expect(await h.outbox.pendingCount()).toBe(0);
  });

  it('coalesces 20 rapid updates of one message into a few chat updates, a second apart, ending on the latest', async () => {
    const sink = new RecordingChatSink(2);
    h.startDrainer(sink);
    h.startDrainer(sink); // a second worker must not add writes of its own
    await h.outbox.put('C1', 'status', text('v0'));
    for (let i = 1; i <= 20; i++) {
      await h.outbox.put('C1', 'status', text(`v${i}`));
      await sleep(100);
    }
    await h.drained();
    const writes = sink.callsTo('C1').filter((c) => c.method !== 'find');
    const updates = writes.filter((c) => c.method === 'update');
    const gaps = writes.slice(1).map((c, i) => c.at - (writes[i]?.at ?? 0));
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(4);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(updates.at(-1)?.text).toBe('v20');
    expect(sink.postsIn('C1')).toEqual([expect.objectContaining({ key: 'status', text: 'v20' })]);
    if (process.env.OUTBOX_TEST_REPORT)
      console.log(`coalescing: ${updates.length} updates, gaps ${gaps.join(', ')} ms`);
  });

  it('treats a repeated put with the same content as already done', async () => {
    const sink = new RecordingChatSink();
    await h.outbox.put('C1', 'k', text('same'));
    await h.outbox.put('C1', 'k', text('same'));
    expect(await h.outbox.pendingCount()).toBe(1);
    h.startDrainer(sink);
    await h.drained();
    expect(sink.calls.map((c) => c.method)).toEqual(['post']);
    expect(await h.outbox.deliveredTs('k')).toBe(sink.posts[0]?.ts);
  });

  it('lets other channels go on while one waits out its Retry-After, and calls it again only after', async () => {
    const sink = new RecordingChatSink();
    sink.rateLimitNext('C-slow', 1500);
    // One slot each: the waiting channel must not hold it; two workers: neither may call early.
    h.startDrainer(sink, { maxChannels: 1 });
    h.startDrainer(sink, { maxChannels: 1 });
    await h.outbox.put('C-slow', 'slow-1', text('slow'));
    await waitUntil(() => sink.callsTo('C-slow').length === 1, 2000, 'the rate-limited call');
    for (let i = 0; i < 3; i++) await h.outbox.put('C-fast', `fast-${i}`, text(`fast ${i}`));
    await waitUntil(() => sink.postsIn('C-fast').length === 3, 1000, 'the other channel');
    const limitedAt = sink.callsTo('C-slow')[0]?.at ?? 0;
    expect(sink.callsTo('C-slow')).toHaveLength(1);
    await h.drained();
    const retry = sink.callsTo('C-slow')[1];
    expect(retry).toEqual(expect.objectContaining({ method: 'post', outcome: 'ok' }));
    expect((retry?.at ?? 0) - limitedAt).toBeGreaterThanOrEqual(1500);
  });

  it('posts a thread reply after its parent, in the parent’s thread', async () => {
    const sink = new RecordingChatSink(3);
    h.startDrainer(sink);
    await h.outbox.put('C1', 'diag', text('Diagnostics running'));
    await h.outbox.put('C1', 'diag-detail', text('Cloud Run: OK'), { threadKey: 'diag' });
    await h.drained();
    const [parent, reply] = sink.postsIn('C1');
    expect(parent?.key).toBe('diag');
    expect(reply).toEqual(expect.objectContaining({ key: 'diag-detail', threadTs: parent?.ts }));
    expect(await h.outbox.deliveredTs('diag-detail')).toBe(reply?.ts);
  });

  it('refuses a reply whose parent is unknown or in another channel, and a key reused in another channel', async () => {
    await h.outbox.put('C1', 'parent', text('p'));
    await expect(h.outbox.put('C1', 'r1', text('r'), { threadKey: 'nope' })).rejects.toThrow(
      /Put the parent/,
    );
    await expect(h.outbox.put('C2', 'r2', text('r'), { threadKey: 'parent' })).rejects.toThrow(
      /Reply in the parent/,
    );
    await expect(h.outbox.put('C2', 'parent', text('p2'))).rejects.toThrow(/use a new key/);
    expect(await h.outbox.pendingCount()).toBe(1);
  });

  it('drops an operation Slack refuses for good and goes on with the channel', async () => {
    const sink = new RecordingChatSink();
    sink.failNext('C1', new ChatDeliveryError('gone', 'channel_not_found', true));
    await h.outbox.put('C1', 'lost', text('first'));
    await h.outbox.put('C1', 'lost', text('first, updated'));
    await h.outbox.put('C1', 'kept', text('second'));
    h.startDrainer(sink);
    await h.drained();
    expect(sink.posts.map((p) => p.key)).toEqual(['kept']);
    expect(sink.calls.filter((c) => c.method === 'update')).toHaveLength(0);
    expect(await h.outbox.deliveredTs('lost')).toBeUndefined();
  });

  it('backs off on transient failures and then delivers once', async () => {
    const sink = new RecordingChatSink();
    sink.failNext('C1');
    sink.failNext('C1');
    await h.outbox.put('C1', 'k', text('hello'));
    h.startDrainer(sink);
    await h.drained();
    // The first post's outcome is unknown, so each retry first asks whether it landed.
    expect(sink.callsTo('C1').map((c) => `${c.method}:${c.outcome}`)).toEqual([
      'post:failed',
      'find:failed',
      'find:ok',
      'post:ok',
    ]);
    expect(sink.posts).toHaveLength(1);
  });
});
