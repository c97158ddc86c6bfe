/**
 * A loopback stand-in for Slack's Web API over node:http. Point the real WebClient (and Bolt) at `fakeSlack.url`
 * via `slackApiUrl`; requests cross a real socket and are answered with Slack's response shapes.
 *
 * Two parts: `SlackWorkspace` (fake-slack-workspace.ts) holds the simulated workspace and answers each Web API
 * method (pure state, no I/O); `FakeSlack`, here, is the transport: it decodes requests as WebClient sends them,
 * checks tokens, records calls, injects faults and delays, enforces rate limits and collects posts to response URLs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetryOptions } from '@slack/web-api';
import { decodeApiRequest, parseJson, platformError, type Reply, readBody, send } from './fake-slack-http';
import type {
  Args,
  ChannelView,
  EphemeralView,
  MessageView,
  SeedChannel,
  SeedUser,
  SeedUserGroup,
} from './fake-slack-types';
import { SlackWorkspace } from './fake-slack-workspace';
import type { FakeSocketMode } from './fake-socket-mode';
import { SlackApiError } from './slack-api-error';
import { TokenBuckets } from './token-buckets';
import { waitFor } from './wait-for';

export type {
  Args,
  ChannelView,
  EphemeralView,
  MessageMetadata,
  MessageView,
  SeedChannel,
  SeedUser,
  SeedUserGroup,
} from './fake-slack-types';
export { SlackWorkspace } from './fake-slack-workspace';
export { FAKE_WORKSPACE } from './fake-workspace';
export { waitFor } from './wait-for';

/** One Web API request as received; `status`/`error` are filled in once it has been answered. */
export interface RecordedCall {
  method: string;
  /** Decoded arguments (strings as form-encoded on the wire; `blocks`, `metadata`, … parsed back to objects). */
  args: Args;
  token: string | undefined;
  /** Arrival time, `Date.now()`. */
  at: number;
  status?: number;
  /** Slack's error code when the answer was `ok: false`. */
  error?: string;
}

/** `{ error }`: HTTP 200 `ok: false`; `{ status }`: a bare HTTP error; `{ rateLimited }`: 429 with Retry-After. */
export type Fault = { error: string } | { status: number } | { rateLimited: number };

/** A call that arrived before the Retry-After announced for its channel (or method) had elapsed. */
export interface RateLimitViolation {
  method: string;
  channel: string | undefined;
  at: number;
  earlyByMs: number;
}

export interface RecordedResponse {
  id: string;
  /** The JSON Bolt's `respond()` posted (the raw text if it was not JSON). */
  body: unknown;
  at: number;
}

export interface FakeSlackOptions {
  /** When set, bot-token methods answer `invalid_auth` to any other token. */
  botToken?: string;
  /** When set, `apps.connections.open` answers `invalid_auth` to any other `xapp-` token. */
  appToken?: string;
}

export interface RateLimitOptions {
  perChannelPerSecond: number;
  burst: number;
}

const RATE_LIMITED_METHODS = new Set(['chat.postMessage', 'chat.update']);

export class FakeSlack {
  /** Web API base for WebClient's `slackApiUrl`, ending in `/api/`. */
  readonly url: string;
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly violations: RateLimitViolation[] = [];
  /** 429s answered, injected or enforced. */
  rateLimitedCount = 0;
  readonly workspace = new SlackWorkspace();

  private readonly faults = new Map<string, Fault[]>();
  private readonly delays = new Map<string, number>();
  private readonly retryNotBefore = new Map<string, number>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private limiter: TokenBuckets | undefined;
  private socketMode: FakeSocketMode | undefined;
  private responseSeq = 0;

  private constructor(
    private readonly server: Server,
    private readonly origin: string,
    private readonly options: FakeSlackOptions,
  ) {
    this.url = `${origin}/api/`;
  }

  /** Starts listening on an ephemeral loopback port. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`FakeSlack failed: ${error instanceof Error ? error.stack : String(error)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, options);
    return fake;
  }

  /**
   * WebClient options for tests (also Bolt's `clientOptions`): this server, and retries that give up within
   * milliseconds. With WebClient's default policy (ten retries over ~30 minutes), a request still in flight when a
   * test closes the fake keeps Jest from exiting; retries still honour Retry-After.
   */
  clientOptions(): { slackApiUrl: string; retryConfig: RetryOptions } {
    return { slackApiUrl: this.url, retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 } };
  }

  /** Stops listening and drops open connections. Wait for the app's own calls to finish first (see clientOptions). */
  async close(): Promise<void> {
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Makes `apps.connections.open` return this server's URL, and slash commands default to our response URLs. */
  attachSocketMode(socketMode: FakeSocketMode): void {
    this.socketMode = socketMode;
    socketMode.defaultResponseUrl = () => this.responseUrl();
  }

  // --- recording -------------------------------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /**
   * Forgets recorded calls, responses, violations, pending faults, delays and rate limiting; with
   * `{ workspace: true }` also every channel, message and seeded user (back to the bot and alice).
   */
  reset(opts: { workspace?: boolean } = {}): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.violations.length = 0;
    this.rateLimitedCount = 0;
    this.faults.clear();
    this.delays.clear();
    this.retryNotBefore.clear();
    this.limiter = undefined;
    if (opts.workspace) this.workspace.clear();
  }

  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    return waitFor(predicate, timeoutMs, () => {
      const recent = this.calls
        .slice(-8)
        .map((call) => `${call.method}${call.error ? `(${call.error})` : ''}`);
      return `${predicate.toString()}\n  last calls: ${recent.join(', ') || 'none'}`;
    });
  }

  // --- workspace seeding and inspection (delegates) ---------------------------------------------------------------

  addUser(user: SeedUser): void {
    this.workspace.addUser(user);
  }
  addUserGroup(group: SeedUserGroup): void {
    this.workspace.addUserGroup(group);
  }
  /** Returns the channel ID. */
  addChannel(channel: SeedChannel): string {
    return this.workspace.addChannel(channel);
  }
  /** Seeds a message from a person (default alice); returns its ts. */
  addMessage(channel: string, message: { text: string; user?: string; thread_ts?: string }): string {
    return this.workspace.addMessage(channel, message);
  }
  addReaction(channel: string, ts: string, name: string, user: string): void {
    this.workspace.addReaction(channel, ts, name, user);
  }
  /** Current messages (top level and replies) in post order; `[]` for an unknown channel. */
  messages(channel: string): MessageView[] {
    return this.workspace.messages(channel);
  }
  /** The thread parent followed by its replies. */
  thread(channel: string, ts: string): MessageView[] {
    return this.workspace.thread(channel, ts);
  }
  ephemerals(channel: string): EphemeralView[] {
    return this.workspace.ephemerals(channel);
  }
  channel(ref: string): ChannelView | undefined {
    return this.workspace.channelView(ref);
  }
  get openedViews(): ReadonlyArray<{ id: string; trigger_id: string; view: Args }> {
    return this.workspace.openedViews;
  }

  // --- faults, delays, rate limits ---------------------------------------------------------------------------------

  /**
   * The next `times` calls to `method` get `fault`. Method `'response_url'` targets posts to response URLs, where
   * `{ error }` answers 404 with that word (`expired_url`, `used_url`), as Slack does.
   */
  failNext(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Every call to `method` is answered after `ms` (0 removes the delay). */
  delay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /** A token bucket per channel for chat.postMessage and chat.update, answering 429 + Retry-After when empty. */
  enforceRateLimit(options: RateLimitOptions): void {
    this.limiter = new TokenBuckets(options.perChannelPerSecond, options.burst);
  }

  // --- response URLs -----------------------------------------------------------------------------------------------

  /** A response URL for slash-command or interaction payloads; posts to it land in `responses`. */
  responseUrl(id: string = `r${++this.responseSeq}`): string {
    return `${this.origin}/respond/${encodeURIComponent(id)}`;
  }

  responsesTo(id: string): RecordedResponse[] {
    return this.responses.filter((response) => response.id === id);
  }

  // --- transport ---------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      const id = decodeURIComponent(url.pathname.slice('/respond/'.length));
      const fault = this.takeFault('response_url');
      // Response URLs answer failures with a status and a bare error word (e.g. 404 `used_url`).
      if (fault && 'status' in fault) return send(res, fault.status, 'text/plain', 'server_error');
      if (fault && 'error' in fault) return send(res, 404, 'text/plain', fault.error);
      if (fault)
        return send(res, 429, 'text/plain', 'rate_limited', { 'retry-after': String(fault.rateLimited) });
      this.responses.push({ id, body: parseJson(raw) ?? raw, at: Date.now() });
      return send(res, 200, 'text/html', 'ok');
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, 'text/plain', 'Not Found');
    const method = url.pathname.slice('/api/'.length);
    const { args, token } = decodeApiRequest(req, raw, url.searchParams);
    const call: RecordedCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    const delayMs = this.delays.get(method);
    if (delayMs) await this.sleep(delayMs);
    const reply = this.answer(call);
    call.status = reply.status;
    if (typeof reply.body === 'object' && reply.body.ok === false) call.error = String(reply.body.error);
    if (res.destroyed) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const contentType = typeof reply.body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
    send(res, reply.status, contentType, body, reply.headers);
  }

  private answer(call: RecordedCall): Reply {
    const { method, args } = call;
    const key = this.rateKey(method, args);
    this.noteViolation(call, key);
    const fault = this.takeFault(method);
    if (fault) return this.faultReply(fault, key);
    if (!this.workspace.knows(method)) return platformError('unknown_method');
    const authError = this.authError(method, call.token);
    if (authError) return platformError(authError);
    if (this.limiter && RATE_LIMITED_METHODS.has(method)) {
      const retryAfter = this.limiter.take(key, Date.now());
      if (retryAfter > 0) return this.rateLimited(retryAfter, key);
    }
    try {
      return { status: 200, body: { ok: true, ...this.workspace.call(method, args, this.socketMode) } };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return { status: 200, body: { ok: false, error: error.code, ...error.extra } };
    }
  }

  private authError(method: string, token: string | undefined): string | undefined {
    if (!token) return 'not_authed';
    const isAppToken = token.startsWith('xapp-');
    if (method === 'apps.connections.open') {
      if (!isAppToken) return 'not_allowed_token_type';
      if (this.options.appToken && token !== this.options.appToken) return 'invalid_auth';
      return undefined;
    }
    if (isAppToken) return 'not_allowed_token_type';
    if (this.options.botToken && token !== this.options.botToken) return 'invalid_auth';
    return undefined;
  }

  private rateKey(method: string, args: Args): string {
    const channel = typeof args.channel === 'string' ? this.workspace.channelId(args.channel) : undefined;
    return RATE_LIMITED_METHODS.has(method) && channel ? `channel:${channel}` : `method:${method}`;
  }

  private noteViolation(call: RecordedCall, key: string): void {
    const notBefore = this.retryNotBefore.get(key);
    if (notBefore === undefined || call.at >= notBefore) return;
    const channel = key.startsWith('channel:') ? key.slice('channel:'.length) : undefined;
    this.violations.push({ method: call.method, channel, at: call.at, earlyByMs: notBefore - call.at });
  }

  private takeFault(method: string): Fault | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.shift();
    if (queue && queue.length === 0) this.faults.delete(method);
    return fault;
  }

  private faultReply(fault: Fault, key: string): Reply {
    if ('rateLimited' in fault) return this.rateLimited(fault.rateLimited, key);
    if ('status' in fault) return { status: fault.status, body: 'Internal Server Error' };
    return platformError(fault.error);
  }

  private rateLimited(retryAfterSec: number, key: string): Reply {
    this.rateLimitedCount += 1;
    this.retryNotBefore.set(key, Date.now() + retryAfterSec * 1000);
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfterSec) },
      body: { ok: false, error: 'ratelimited' },
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(sleeper);
    });
  }
}
