import {
  ChatDeliveryError,
  ChatRateLimitedError,
  type ChatSink,
  type PostRequest,
} from '../../../src/chat/chat-sink';
import type { ChatMessage } from '../../../src/chat/message';

/** One call as the sink saw it, with its arrival time. */
export interface SinkCall {
  method: 'post' | 'update' | 'find';
  channel: string;
  key?: string;
  ts?: string;
  text?: string;
  threadTs?: string;
  at: number;
  outcome: 'ok' | 'rateLimited' | 'failed';
}

/** An accepted post and its current text, as a chat service would hold it. */
export interface StoredPost {
  channel: string;
  key: string;
  ts: string;
  text: string;
  threadTs?: string;
}

type Script =
  | { kind: 'rateLimit'; retryAfterMs: number }
  | { kind: 'fail'; error: Error }
  | { kind: 'acceptThenFail' }
  | { kind: 'acceptThenHang'; released: Promise<void> };

/**
 * A ChatSink that records every call and holds posts like a chat service, and can be told to
 * answer a channel's next call with a 429, an error, or an accepted post whose answer is lost.
 */
export class RecordingChatSink implements ChatSink {
  readonly calls: SinkCall[] = [];
  readonly posts: StoredPost[] = [];
  private readonly scripts = new Map<string, Script[]>();
  private seq = 0;

  /** Each call takes up to this long, so concurrent drainers really interleave. */
  constructor(private readonly maxLatencyMs = 0) {}

  rateLimitNext(channel: string, retryAfterMs: number): void {
    this.script(channel, { kind: 'rateLimit', retryAfterMs });
  }

  failNext(
    channel: string,
    error: Error = new ChatDeliveryError('Slack said no', 'internal_error', false),
  ): void {
    this.script(channel, { kind: 'fail', error });
  }

  /** The next post is stored, then the call fails as if the answer never arrived. */
  acceptThenFailNext(channel: string): void {
    this.script(channel, { kind: 'acceptThenFail' });
  }

  /** The next post is stored, then the call never answers until `release()` (it then fails). */
  acceptThenHangNext(channel: string): { release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.script(channel, { kind: 'acceptThenHang', released });
    return { release };
  }

  postsIn(channel: string): StoredPost[] {
    return this.posts.filter((post) => post.channel === channel);
  }

  callsTo(channel: string, method?: SinkCall['method']): SinkCall[] {
    return this.calls.filter(
      (call) => call.channel === channel && (method === undefined || call.method === method),
    );
  }

  async postMessage(request: PostRequest): Promise<{ ts: string }> {
    const call = this.record('post', request.channel, { key: request.key, text: request.message.text });
    if (request.threadTs) call.threadTs = request.threadTs;
    await this.latency();
    const script = this.takeScript(call);
    const ts = `${Date.now()}.${String(++this.seq).padStart(6, '0')}`;
    call.ts = ts;
    this.posts.push({
      channel: request.channel,
      key: request.key,
      ts,
      text: request.message.text,
      ...(request.threadTs ? { threadTs: request.threadTs } : {}),
    });
    if (script?.kind === 'acceptThenHang') await script.released;
    if (script?.kind === 'acceptThenFail' || script?.kind === 'acceptThenHang') {
      call.outcome = 'failed';
      throw new ChatDeliveryError('Connection reset after the post was sent', 'request_failed', false);
    }
    return { ts };
  }

  async updateMessage(request: { channel: string; ts: string; message: ChatMessage }): Promise<void> {
    const call = this.record('update', request.channel, { ts: request.ts, text: request.message.text });
    await this.latency();
    this.takeScript(call);
    const post = this.posts.find((p) => p.channel === request.channel && p.ts === request.ts);
    if (!post) throw new ChatDeliveryError('No such message', 'message_not_found', true);
    post.text = request.message.text;
  }

  async findPostedMessage(channel: string, key: string): Promise<{ ts: string } | undefined> {
    const call = this.record('find', channel, { key });
    await this.latency();
    this.takeScript(call);
    const post = this.posts.find((p) => p.channel === channel && p.key === key);
    return post ? { ts: post.ts } : undefined;
  }

  private script(channel: string, script: Script): void {
    this.scripts.set(channel, [...(this.scripts.get(channel) ?? []), script]);
  }

  private record(method: SinkCall['method'], channel: string, fields: Partial<SinkCall>): SinkCall {
    const call: SinkCall = { method, channel, ...fields, at: Date.now(), outcome: 'ok' };
    this.calls.push(call);
    return call;
  }

  /** Throws for scripted rate limits and failures; returns accept-then-… scripts to the post. */
  private takeScript(call: SinkCall): Script | undefined {
    const script = this.scripts.get(call.channel)?.shift();
    if (script?.kind === 'rateLimit') {
      call.outcome = 'rateLimited';
      throw new ChatRateLimitedError(script.retryAfterMs);
    }
    if (script?.kind === 'fail') {
      call.outcome = 'failed';
      throw script.error;
    }
    if (script && call.method !== 'post') throw new Error(`${script.kind} only applies to posts`);
    return script;
  }

  private latency(): Promise<void> {
    const ms = Math.random() * this.maxLatencyMs;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
}
