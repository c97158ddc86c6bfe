import { decodeOp, encodeOp, type OutboxOp, outboxKeys } from '../../../src/chat/outbox-keys';
import { KeyPrefix } from '../../../src/queue/key-prefix';

describe('outbox keys', () => {
  it('puts every key under the hash-tagged prefix, so one Redis Cluster slot holds them all', () => {
    const keys = outboxKeys(KeyPrefix.of('warroom'));
    const all = [
      keys.message('k'),
      keys.channelOps('C1'),
      keys.ready,
      keys.lease('C1'),
      keys.pending,
      keys.failures,
    ];
    expect(all.every((key) => key.startsWith('{warroom}:'))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('outbox operations', () => {
  it.each<OutboxOp>([
    { op: 'post', key: 'diag' },
    { op: 'update', key: 'diag' },
    { op: 'post', key: 'incident:INC-1:status' },
    { op: 'update', key: 'ünïcode key with spaces' },
  ])('round-trips %o', (op) => {
    expect(decodeOp(encodeOp(op))).toEqual(op);
  });

  it('writes the strings the Lua enqueue script writes', () => {
    expect(encodeOp({ op: 'post', key: 'k' })).toBe('post:k');
    expect(encodeOp({ op: 'update', key: 'k' })).toBe('update:k');
  });

  it.each(['', 'post', 'post:', 'delete:k', ':k', '{"op":"post","key":"k"}'])('rejects %p', (raw) => {
    expect(decodeOp(raw)).toBeUndefined();
  });
});
