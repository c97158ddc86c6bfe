/**
 * A loopback stand-in for Slack's Web API over node:http. Point the real WebClient (and Bolt) at `fakeSlack.url`
 * via `slackApiUrl`; requests cross a real socket and are answered with Slack's response shapes.
 *
 * Two parts: `SlackWorkspace` holds the simulated workspace and answers each Web API method (pure state, no I/O);
 * `FakeSlack` is the transport: it decodes requests as WebClient sends them, checks tokens, records calls,
 * injects faults and delays, enforces rate limits and collects posts to response URLs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetryOptions } from '@slack/web-api';
import type { FakeSocketMode } from './fake-socket-mode';
import { SLACK_TEST_IDS } from './slack-signing';

export type Args = Record<string, unknown>;

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

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as the fake currently holds it. */
export interface MessageView {
  ts: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
  metadata: MessageMetadata | undefined;
  updateCount: number;
  pinned: boolean;
  reactions: Array<{ name: string; users: string[] }>;
}

export interface EphemeralView {
  message_ts: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
}

export interface ChannelView {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  topic: string;
  members: string[];
  botIsMember: boolean;
}

export interface SeedUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface SeedUserGroup {
  id: string;
  handle: string;
  name?: string;
  users: string[];
}

export interface SeedChannel {
  id?: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  topic?: string;
  members?: string[];
  /** Default true: a channel a test sets up on purpose usually has the bot in it. */
  botIsMember?: boolean;
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

/** Identity of the simulated workspace and bot. */
export const FAKE_WORKSPACE = {
  ...SLACK_TEST_IDS,
  teamName: 'Warroom Test',
  botName: 'warroom',
  baseUrl: 'https://warroom-test.slack.com/',
} as const;

const RATE_LIMITED_METHODS = new Set(['chat.postMessage', 'chat.update']);
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks'];

/** Polls `predicate` until it holds; rejects after `timeoutMs` with `describe()` in the message. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 5000,
  describe: () => string = () => predicate.toString(),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: ({ ok: boolean } & Args) | string;
}

function platformError(error: string): Reply {
  return { status: 200, body: { ok: false, error } };
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Decodes a Web API request the way Slack does: form or JSON body, plus query parameters; token from either. */
function decodeApiRequest(
  req: IncomingMessage,
  raw: string,
  query: URLSearchParams,
): { args: Args; token: string | undefined } {
  const args: Args = Object.fromEntries(query);
  if (req.headers['content-type']?.startsWith('application/json')) {
    const parsed = parseJson(raw);
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (raw.length > 0) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  }
  for (const field of JSON_FIELDS) {
    if (typeof args[field] === 'string') args[field] = parseJson(args[field]) ?? args[field];
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  return { args, token };
}

/** Thrown by a method handler to answer `{ ok: false, error: code, ...extra }`. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Args = {},
  ) {
    super(code);
  }
}

/** Slack's per-channel posting limit: `ratePerSec` sustained, `burst` at once. */
class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {}

  /** Takes a token; returns 0 when allowed, else the whole seconds until one is available. */
  take(key: string, now: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSec);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSec));
  }
}

interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  created: number;
  creator: string;
  topic: { value: string; creator: string; last_set: number };
  members: Set<string>;
  messages: Message[];
  ephemerals: EphemeralView[];
}

interface Message {
  ts: string;
  user: string;
  fromBot: boolean;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  threadTs: string | undefined;
  replyBroadcast: boolean;
  metadata: MessageMetadata | undefined;
  updateCount: number;
  editedTs: string | undefined;
  pinned: boolean;
  reactions: Map<string, string[]>;
}

type Handler = (args: Args, socketMode: FakeSocketMode | undefined) => Args;

const W = FAKE_WORKSPACE;

/**
 * The simulated workspace: channels, messages, users and user groups, and the Web API methods over them with
 * Slack's response shapes and error codes. Channel IDs (C…/G…) nobody has seen yet are registered on first use as
 * public channels the bot is not in, like a channel the app was never invited to: posting works (chat:write.public),
 * reading history needs a join. Channel names (`#ops`, `ops`) must exist.
 */
export class SlackWorkspace {
  readonly openedViews: Array<{ id: string; trigger_id: string; view: Args }> = [];
  private readonly channels = new Map<string, Channel>();
  private readonly users = new Map<string, Args>();
  private readonly groups = new Map<string, SeedUserGroup & { created: number }>();
  private lastTsMicros = 0;
  private seq = 0;

  private readonly handlers: Record<string, Handler> = {
    'auth.test': () => ({
      url: W.baseUrl,
      team: W.teamName,
      user: W.botName,
      team_id: W.teamId,
      user_id: W.botUserId,
      bot_id: W.botId,
      is_enterprise_install: false,
    }),
    'apps.connections.open': (_args, socketMode) => {
      if (!socketMode) throw new SlackApiError('socket_mode_not_attached_to_fake_slack');
      return { url: socketMode.connectionUrl() };
    },
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.update': (args) => this.update(args),
    'chat.delete': (args) => {
      const { channel, message } = this.ownMessage(args, 'cant_delete_message');
      channel.messages.splice(channel.messages.indexOf(message), 1);
      return { channel: channel.id, ts: message.ts };
    },
    'chat.postEphemeral': (args) => {
      const channel = this.visibleChannel(args.channel);
      if (typeof args.user !== 'string' || args.user === '') throw new SlackApiError('user_not_found');
      const content = messageContent(args);
      const ephemeral: EphemeralView = {
        message_ts: this.nextTs(),
        user: args.user,
        text: content.text,
        blocks: content.blocks,
        thread_ts: optionalString(args.thread_ts),
      };
      channel.ephemerals.push(ephemeral);
      return { message_ts: ephemeral.message_ts };
    },
    'chat.getPermalink': (args) => {
      const channel = this.visibleChannel(args.channel);
      const message = this.findMessage(channel, args.message_ts);
      const thread = message.threadTs && message.threadTs !== message.ts ? message.threadTs : undefined;
      const query = thread ? `?thread_ts=${thread}&cid=${channel.id}` : '';
      return {
        channel: channel.id,
        permalink: `${W.baseUrl}archives/${channel.id}/p${message.ts.replace('.', '')}${query}`,
      };
    },
    'conversations.history': (args) => this.history(args),
    'conversations.replies': (args) => {
      const channel = this.memberChannel(args.channel);
      const found = channel.messages.find((m) => m.ts === args.ts);
      if (!found) throw new SlackApiError('thread_not_found');
      const parentTs = found.threadTs ?? found.ts;
      const thread = channel.messages.filter((m) => m.ts === parentTs || m.threadTs === parentTs);
      const withMetadata = truthy(args.include_all_metadata);
      return { messages: thread.map((m) => this.messageJson(channel, m, withMetadata)), has_more: false };
    },
    'conversations.join': (args) => {
      const channel = this.visibleChannel(args.channel);
      if (channel.isPrivate) throw new SlackApiError('method_not_supported_for_channel_type');
      if (channel.isArchived) throw new SlackApiError('is_archived');
      if (channel.members.has(W.botUserId)) {
        return {
          channel: this.channelJson(channel),
          warning: 'already_in_channel',
          response_metadata: { warnings: ['already_in_channel'] },
        };
      }
      channel.members.add(W.botUserId);
      return { channel: this.channelJson(channel) };
    },
    'conversations.create': (args) => {
      const name = typeof args.name === 'string' ? args.name : '';
      const invalid = channelNameError(name);
      if (invalid) throw new SlackApiError(invalid);
      if (this.byName(name)) throw new SlackApiError('name_taken');
      const id = this.addChannel({
        id: `C1${String(++this.seq).padStart(9, '0')}`,
        name,
        isPrivate: truthy(args.is_private),
      });
      return { channel: this.channelJson(this.requireChannel(id)) };
    },
    'conversations.invite': (args) => {
      const channel = this.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('is_archived');
      const users = (Array.isArray(args.users) ? args.users.map(String) : String(args.users ?? '').split(','))
        .map((user) => user.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackApiError('no_user');
      if (users.includes(W.botUserId)) throw new SlackApiError('cant_invite_self');
      const unknown = users.find((user) => !this.users.has(user));
      if (unknown)
        throw new SlackApiError('user_not_found', {
          errors: [{ user: unknown, ok: false, error: 'user_not_found' }],
        });
      if (users.every((user) => channel.members.has(user))) throw new SlackApiError('already_in_channel');
      for (const user of users) channel.members.add(user);
      return { channel: this.channelJson(channel) };
    },
    'conversations.setTopic': (args) => {
      const channel = this.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('is_archived');
      const topic = String(args.topic ?? '');
      if (topic.length > 250) throw new SlackApiError('too_long');
      channel.topic = { value: topic, creator: W.botUserId, last_set: nowSec() };
      return { channel: this.channelJson(channel) };
    },
    'conversations.archive': (args) => {
      const channel = this.memberChannel(args.channel);
      if (channel.isArchived) throw new SlackApiError('already_archived');
      channel.isArchived = true;
      return {};
    },
    'conversations.info': (args) => {
      const channel = this.visibleChannel(args.channel);
      const json = this.channelJson(channel);
      if (truthy(args.include_num_members)) json.num_members = channel.members.size;
      return { channel: json };
    },
    'pins.add': (args) => {
      const channel = this.visibleChannel(args.channel);
      if (args.timestamp === undefined) throw new SlackApiError('no_item_specified');
      const message = this.findMessage(channel, args.timestamp);
      if (message.pinned) throw new SlackApiError('already_pinned');
      message.pinned = true;
      return {};
    },
    'reactions.get': (args) => {
      const channel = this.visibleChannel(args.channel);
      const message = this.findMessage(channel, args.timestamp);
      return { type: 'message', channel: channel.id, message: this.messageJson(channel, message, false) };
    },
    'users.info': (args) => {
      const user = typeof args.user === 'string' ? this.users.get(args.user) : undefined;
      if (!user) throw new SlackApiError('user_not_found');
      return { user };
    },
    'usergroups.list': (args) => ({
      usergroups: [...this.groups.values()].map((group) => ({
        ...this.groupJson(group),
        ...(truthy(args.include_users) ? { users: group.users } : {}),
      })),
    }),
    'usergroups.users.list': (args) => {
      const group = typeof args.usergroup === 'string' ? this.groups.get(args.usergroup) : undefined;
      if (!group) throw new SlackApiError('no_such_subteam');
      return { users: [...group.users] };
    },
    'views.open': (args) => {
      if (typeof args.trigger_id !== 'string' || args.trigger_id === '')
        throw new SlackApiError('invalid_arguments');
      const view = args.view;
      if (!view || typeof view !== 'object' || !('type' in view))
        throw new SlackApiError('invalid_arguments');
      const id = `V${String(++this.seq).padStart(10, '0')}`;
      this.openedViews.push({ id, trigger_id: args.trigger_id, view: view as Args });
      return {
        view: {
          id,
          team_id: W.teamId,
          private_metadata: '',
          callback_id: '',
          external_id: '',
          state: { values: {} },
          hash: `${nowSec()}.${id}`,
          clear_on_close: false,
          notify_on_close: false,
          root_view_id: id,
          previous_view_id: null,
          app_id: W.appId,
          bot_id: W.botId,
          ...view,
        },
      };
    },
  };

  constructor() {
    this.clear();
  }

  /** Every Web API method this fake answers. */
  get methods(): string[] {
    return Object.keys(this.handlers);
  }

  knows(method: string): boolean {
    return Object.hasOwn(this.handlers, method);
  }

  /** Answers a Web API call; throws SlackApiError for Slack's `ok: false` answers. */
  call(method: string, args: Args, socketMode?: FakeSocketMode): Args {
    const handler = this.handlers[method];
    if (!handler) throw new SlackApiError('unknown_method');
    return handler(args, socketMode);
  }

  /** Forgets everything; the bot user and alice are seeded again. */
  clear(): void {
    this.channels.clear();
    this.users.clear();
    this.groups.clear();
    this.openedViews.length = 0;
    this.addUser({ id: W.botUserId, name: W.botName, realName: 'Warroom', isBot: true });
    this.addUser({ id: W.userId, name: W.userName, realName: 'Alice Example', email: 'alice@example.com' });
  }

  addUser(seed: SeedUser): void {
    const name = seed.name ?? seed.id.toLowerCase();
    const realName = seed.realName ?? name;
    this.users.set(seed.id, {
      id: seed.id,
      team_id: W.teamId,
      name,
      deleted: seed.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz: seed.tz ?? 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: name,
        display_name_normalized: name,
        ...(seed.email ? { email: seed.email } : {}),
        ...(seed.isBot ? { bot_id: W.botId, api_app_id: W.appId } : {}),
        team: W.teamId,
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: seed.isBot ?? false,
      is_app_user: false,
      updated: nowSec(),
    });
  }

  addUserGroup(group: SeedUserGroup): void {
    this.groups.set(group.id, { ...group, users: [...group.users], created: nowSec() });
  }

  addChannel(seed: SeedChannel): string {
    const id = seed.id ?? `C1${String(++this.seq).padStart(9, '0')}`;
    const members = new Set(seed.members ?? []);
    if (seed.botIsMember ?? true) members.add(W.botUserId);
    this.channels.set(id, {
      id,
      name: seed.name.replace(/^#/, ''),
      isPrivate: seed.isPrivate ?? false,
      isArchived: seed.isArchived ?? false,
      created: nowSec(),
      creator: W.botUserId,
      topic: {
        value: seed.topic ?? '',
        creator: seed.topic ? W.botUserId : '',
        last_set: seed.topic ? nowSec() : 0,
      },
      members,
      messages: [],
      ephemerals: [],
    });
    return id;
  }

  addMessage(channelRef: string, seed: { text: string; user?: string; thread_ts?: string }): string {
    const channel = this.resolve(channelRef);
    const message = this.newMessage(seed.user ?? W.userId, false, {
      text: seed.text,
      blocks: undefined,
      attachments: undefined,
    });
    message.threadTs = seed.thread_ts ? this.threadParent(channel, seed.thread_ts) : undefined;
    channel.messages.push(message);
    return message.ts;
  }

  addReaction(channelRef: string, ts: string, name: string, user: string): void {
    const message = this.findMessage(this.resolve(channelRef), ts);
    const users = message.reactions.get(name) ?? [];
    if (!users.includes(user)) users.push(user);
    message.reactions.set(name, users);
  }

  /** The channel ID a reference names, without registering anything; the reference itself when unknown. */
  channelId(ref: string): string {
    return this.lookup(ref)?.id ?? ref;
  }

  channelView(ref: string): ChannelView | undefined {
    const channel = this.lookup(ref);
    if (!channel) return undefined;
    return {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate,
      isArchived: channel.isArchived,
      topic: channel.topic.value,
      members: [...channel.members],
      botIsMember: channel.members.has(W.botUserId),
    };
  }

  messages(ref: string): MessageView[] {
    return (this.lookup(ref)?.messages ?? []).map(messageView);
  }

  thread(ref: string, ts: string): MessageView[] {
    const channel = this.lookup(ref);
    if (!channel) return [];
    return channel.messages.filter((m) => m.ts === ts || m.threadTs === ts).map(messageView);
  }

  ephemerals(ref: string): EphemeralView[] {
    return [...(this.lookup(ref)?.ephemerals ?? [])];
  }

  // --- methods too long to inline -------------------------------------------------------------------------------

  private postMessage(args: Args): Args {
    const channel = this.visibleChannel(args.channel);
    if (channel.isArchived) throw new SlackApiError('is_archived');
    const message = this.newMessage(W.botUserId, true, messageContent(args));
    message.metadata = metadataOf(args.metadata);
    if (args.thread_ts !== undefined && args.thread_ts !== '') {
      message.threadTs = this.threadParent(channel, args.thread_ts);
      message.replyBroadcast = truthy(args.reply_broadcast);
    }
    channel.messages.push(message);
    return { channel: channel.id, ts: message.ts, message: this.messageJson(channel, message, false) };
  }

  private update(args: Args): Args {
    const { channel, message } = this.ownMessage(args, 'cant_update_message');
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
      throw new SlackApiError('no_text');
    }
    // Slack keeps whatever the update leaves out.
    const content = messageContent({
      text: message.text,
      blocks: message.blocks,
      attachments: message.attachments,
      ...args,
    });
    Object.assign(message, content);
    if (args.metadata !== undefined) message.metadata = metadataOf(args.metadata);
    message.updateCount += 1;
    message.editedTs = this.nextTs();
    return {
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: this.messageJson(channel, message, false),
    };
  }

  private history(args: Args): Args {
    const channel = this.memberChannel(args.channel);
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
    const offset = args.cursor
      ? Number(Buffer.from(String(args.cursor), 'base64').toString().replace('offset:', ''))
      : 0;
    const inclusive = truthy(args.inclusive);
    const inRange = (ts: string) =>
      (args.oldest === undefined || (inclusive ? ts >= String(args.oldest) : ts > String(args.oldest))) &&
      (args.latest === undefined || (inclusive ? ts <= String(args.latest) : ts < String(args.latest)));
    const topLevel = channel.messages
      .filter((m) => (m.threadTs === undefined || m.threadTs === m.ts || m.replyBroadcast) && inRange(m.ts))
      .reverse();
    const page = topLevel.slice(offset, offset + limit);
    const hasMore = offset + limit < topLevel.length;
    const withMetadata = truthy(args.include_all_metadata);
    return {
      messages: page.map((m) => this.messageJson(channel, m, withMetadata)),
      has_more: hasMore,
      pin_count: channel.messages.filter((m) => m.pinned).length,
      channel_actions_ts: null,
      channel_actions_count: 0,
      ...(hasMore
        ? { response_metadata: { next_cursor: Buffer.from(`offset:${offset + limit}`).toString('base64') } }
        : {}),
    };
  }

  // --- lookups ----------------------------------------------------------------------------------------------------

  private lookup(ref: string): Channel | undefined {
    return this.channels.get(ref) ?? this.byName(ref.replace(/^#/, ''));
  }

  private byName(name: string): Channel | undefined {
    for (const channel of this.channels.values()) if (channel.name === name) return channel;
    return undefined;
  }

  private requireChannel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** Finds a channel by ID or name, registering unseen C…/G… IDs (see the class comment). */
  private resolve(ref: unknown): Channel {
    if (typeof ref !== 'string' || ref === '') throw new SlackApiError('channel_not_found');
    const known = this.lookup(ref);
    if (known) return known;
    if (!/^[CG][A-Z0-9]{2,}$/.test(ref)) throw new SlackApiError('channel_not_found');
    this.addChannel({ id: ref, name: ref.toLowerCase(), botIsMember: false });
    return this.requireChannel(ref);
  }

  /** Private channels the bot is not in are invisible to it, as in Slack. */
  private visibleChannel(ref: unknown): Channel {
    const channel = this.resolve(ref);
    if (channel.isPrivate && !channel.members.has(W.botUserId)) throw new SlackApiError('channel_not_found');
    return channel;
  }

  private memberChannel(ref: unknown): Channel {
    const channel = this.visibleChannel(ref);
    if (!channel.members.has(W.botUserId)) throw new SlackApiError('not_in_channel');
    return channel;
  }

  private findMessage(channel: Channel, ts: unknown): Message {
    const message = channel.messages.find((m) => m.ts === ts);
    if (!message) throw new SlackApiError('message_not_found');
    return message;
  }

  private ownMessage(args: Args, notOwnError: string): { channel: Channel; message: Message } {
    const channel = this.visibleChannel(args.channel);
    const message = this.findMessage(channel, args.ts);
    if (!message.fromBot) throw new SlackApiError(notOwnError);
    return { channel, message };
  }

  /** A reply to a reply joins the parent's thread, as in Slack; an unknown parent is an error here. */
  private threadParent(channel: Channel, threadTs: unknown): string {
    const parent = channel.messages.find((m) => m.ts === String(threadTs));
    if (!parent) throw new SlackApiError('thread_not_found');
    return parent.threadTs ?? parent.ts;
  }

  // --- builders ---------------------------------------------------------------------------------------------------

  /** Unique and increasing, close to the wall clock, like Slack's. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 100, Date.now() * 1000);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  private newMessage(user: string, fromBot: boolean, content: ReturnType<typeof messageContent>): Message {
    return {
      ts: this.nextTs(),
      user,
      fromBot,
      ...content,
      threadTs: undefined,
      replyBroadcast: false,
      metadata: undefined,
      updateCount: 0,
      editedTs: undefined,
      pinned: false,
      reactions: new Map(),
    };
  }

  private messageJson(channel: Channel, m: Message, withMetadata: boolean): Args {
    const json: Args = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: W.teamId };
    if (m.fromBot) Object.assign(json, { bot_id: W.botId, app_id: W.appId });
    if (m.blocks) json.blocks = m.blocks;
    if (m.attachments) json.attachments = m.attachments;
    if (m.replyBroadcast) json.subtype = 'thread_broadcast';
    if (m.threadTs && m.threadTs !== m.ts) {
      json.thread_ts = m.threadTs;
      json.parent_user_id = channel.messages.find((p) => p.ts === m.threadTs)?.user;
    }
    const replies = channel.messages.filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
    if (replies.length > 0) {
      const replyUsers = [...new Set(replies.map((r) => r.user))];
      Object.assign(json, {
        thread_ts: m.ts,
        reply_count: replies.length,
        reply_users_count: replyUsers.length,
        reply_users: replyUsers,
        latest_reply: replies[replies.length - 1]?.ts,
      });
    }
    if (m.editedTs) json.edited = { user: m.user, ts: m.editedTs };
    if (m.pinned) json.pinned_to = [channel.id];
    if (m.reactions.size > 0) {
      json.reactions = [...m.reactions].map(([name, users]) => ({ name, users, count: users.length }));
    }
    if (withMetadata && m.metadata) json.metadata = m.metadata;
    return json;
  }

  private channelJson(c: Channel): Args {
    return {
      id: c.id,
      name: c.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: c.isPrivate,
      created: c.created,
      is_archived: c.isArchived,
      is_general: false,
      unlinked: 0,
      name_normalized: c.name,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: W.teamId,
      updated: c.created * 1000,
      parent_conversation: null,
      creator: c.creator,
      is_member: c.members.has(W.botUserId),
      topic: { ...c.topic },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    };
  }

  private groupJson(group: SeedUserGroup & { created: number }): Args {
    return {
      id: group.id,
      team_id: W.teamId,
      is_usergroup: true,
      is_subteam: true,
      name: group.name ?? group.handle,
      description: '',
      handle: group.handle,
      is_external: false,
      date_create: group.created,
      date_update: group.created,
      date_delete: 0,
      auto_type: null,
      created_by: W.userId,
      updated_by: W.userId,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      user_count: group.users.length,
    };
  }
}

function messageView(m: Message): MessageView {
  return {
    ts: m.ts,
    user: m.user,
    text: m.text,
    blocks: m.blocks,
    thread_ts: m.threadTs,
    metadata: m.metadata,
    updateCount: m.updateCount,
    pinned: m.pinned,
    reactions: [...m.reactions].map(([name, users]) => ({ name, users: [...users] })),
  };
}

/** Text, blocks and attachments of a post or update, validated as strictly as Slack does the common cases. */
function messageContent(args: Args): {
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
} {
  const text = args.text === undefined || args.text === null ? '' : String(args.text);
  const blocks = args.blocks;
  const attachments = args.attachments;
  if (blocks !== undefined && !validBlocks(blocks)) throw new SlackApiError('invalid_blocks');
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new SlackApiError('invalid_attachments');
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (text === '' && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text');
  if (text.length > 40000) throw new SlackApiError('msg_too_long');
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

function validBlocks(blocks: unknown): blocks is unknown[] {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  const blockIds = new Set<string>();
  for (const block of blocks as Array<Record<string, unknown>>) {
    if (!block || typeof block.type !== 'string') return false;
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) return false;
      blockIds.add(block.block_id);
    }
    const text = block.text as { type?: unknown; text?: unknown } | undefined;
    if (block.type === 'section' && text && String(text.text ?? '').length > 3000) return false;
    if (block.type === 'header' && (text?.type !== 'plain_text' || String(text.text ?? '').length > 150))
      return false;
  }
  return true;
}

function metadataOf(value: unknown): MessageMetadata | undefined {
  if (value === undefined) return undefined;
  const metadata = value as Partial<MessageMetadata> | null;
  if (!metadata || typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object') {
    throw new SlackApiError('invalid_metadata_format');
  }
  return { event_type: metadata.event_type, event_payload: metadata.event_payload };
}

/** Slack's channel naming rules, with the error each broken rule produces. */
function channelNameError(name: string): string | undefined {
  if (name === '') return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (/[^a-z0-9_-]/.test(name)) return 'invalid_name_specials';
  if (/^[_-]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
