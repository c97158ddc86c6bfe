import type { KeyPrefix } from '../queue/key-prefix';

/** Message hashes live long enough to update a status message for the whole of a long incident. */
export const MESSAGE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Redis key names of the chat outbox. Every key starts with the prefix, which is a Redis Cluster
 * hash tag such as `{warroom}`, so the multi-key Lua scripts stay in one slot.
 */
export interface OutboxKeys {
  /** Hash per message key: channel, content, version, ts, sentVersion, lastUpdateAt, … */
  message(key: string): string;
  /** List per channel: the operations still to do, oldest first. */
  channelOps(channel: string): string;
  /** Sorted set of channels with work, scored by the earliest time (ms) they may be called. */
  readonly ready: string;
  /** String per channel naming the drainer that works on it (SET NX PX). */
  lease(channel: string): string;
  /** Counter of operations not yet done, across channels. */
  readonly pending: string;
  /** Hash channel → consecutive transient failures of the operation at the head of its list. */
  readonly failures: string;
}

export function outboxKeys({ tag: prefix }: KeyPrefix): OutboxKeys {
  return {
    message: (key) => `${prefix}:msg:${key}`,
    channelOps: (channel) => `${prefix}:outbox:ch:${channel}`,
    ready: `${prefix}:outbox:ready`,
    lease: (channel) => `${prefix}:outbox:lease:${channel}`,
    pending: `${prefix}:outbox:pending`,
    failures: `${prefix}:outbox:failures`,
  };
}

/** One entry of a channel's list. Updates carry no content: the drainer sends the latest at send time. */
export interface OutboxOp {
  op: 'post' | 'update';
  key: string;
}

/** `post:<key>` / `update:<key>`: the Lua enqueue script builds the same strings. */
export function encodeOp(op: OutboxOp): string {
  return `${op.op}:${op.key}`;
}

/** Undefined for an entry this version does not understand (it is dropped, not retried). */
export function decodeOp(raw: string): OutboxOp | undefined {
  const colon = raw.indexOf(':');
  const kind = raw.slice(0, colon);
  const key = raw.slice(colon + 1);
  if (colon < 0 || key === '' || (kind !== 'post' && kind !== 'update')) return undefined;
  return { op: kind, key };
}
