/**
 * A loopback Socket Mode server speaking the protocol @slack/socket-mode 3 expects: it greets each connection with
 * `hello`, pushes envelopes (slash commands, interactions, events) and resolves when the client acks them.
 * FakeSlack's `apps.connections.open` hands out its URL once attached with `fakeSlack.attachSocketMode(fsm)`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SLACK_TEST_IDS, type SlashCommandFields, slashCommandFields } from './slack-signing';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What the client sent back for an envelope. */
export interface EnvelopeAck {
  envelope_id: string;
  /** The ack's payload (e.g. `{ text }` when Bolt's `ack('…')` answers a slash command); absent when empty. */
  payload?: Record<string, unknown>;
  /** Time from sending the envelope to receiving the ack: Slack gives up after 3000 ms. */
  receivedAfterMs: number;
}

export interface SendOptions {
  /** How long to wait for a connection and then for the ack; Slack's own deadline (3000 ms) by default. */
  timeoutMs?: number;
}

export interface DisconnectOptions {
  /** Drop the TCP connections without Slack's `disconnect` message or a close frame (a network failure). */
  abrupt?: boolean;
}

interface PendingAck {
  sentAt: number;
  resolve: (ack: EnvelopeAck) => void;
}

const SLACK_ACK_DEADLINE_MS = 3000;

export class FakeSocketMode {
  /** A connection URL in Slack's shape; any ticket is accepted. */
  readonly url: string;
  /** Every ack received, in arrival order. */
  readonly acks: EnvelopeAck[] = [];
  /** Connections accepted since start (reconnects count again). */
  connectionsOpened = 0;
  /** Sent in slash-command payloads that do not set `response_url` (FakeSlack sets it when attached). */
  defaultResponseUrl: (() => string) | undefined;

  private readonly sockets: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private connectionWaiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly base: string,
  ) {
    this.url = this.connectionUrl();
    wss.on('connection', (socket) => this.accept(socket));
  }

  /** Starts listening on an ephemeral loopback port. */
  static async start(): Promise<FakeSocketMode> {
    const server = createServer((_req, res) => {
      res.writeHead(426).end('Upgrade Required');
    });
    const wss = new WebSocketServer({ server, path: '/link/' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new FakeSocketMode(server, wss, `ws://127.0.0.1:${port}/link/`);
  }

  /** A fresh URL with a new ticket, as each `apps.connections.open` call returns. */
  connectionUrl(): string {
    return `${this.base}?ticket=${randomUUID()}&app_id=${SLACK_TEST_IDS.appId}`;
  }

  /** Number of currently open client connections. */
  get connectionCount(): number {
    return this.sockets.length;
  }

  /** Resolves once a client is connected and greeted (immediately if one already is). */
  connected(timeoutMs = 5000): Promise<void> {
    if (this.sockets.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.connectionWaiters = this.connectionWaiters.filter((waiter) => waiter !== onConnect);
        reject(new Error(`No Socket Mode client connected within ${timeoutMs} ms (is the app started?)`));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.connectionWaiters.push(onConnect);
    });
  }

  /** Delivers a slash command; fields default as in `slashCommandFields` (`/incident` from alice in #ops). */
  sendSlashCommand(payload: Partial<SlashCommandFields> = {}, opts?: SendOptions): Promise<EnvelopeAck> {
    const responseUrl = payload.response_url ?? this.defaultResponseUrl?.();
    const fields = slashCommandFields(responseUrl ? { ...payload, response_url: responseUrl } : payload);
    return this.send('slash_commands', fields, true, opts);
  }

  /** Delivers an interactive payload (`block_actions`, `view_submission`, …) as given. */
  sendInteractive(
    payload: { type: string } & Record<string, unknown>,
    opts?: SendOptions,
  ): Promise<EnvelopeAck> {
    const acceptsResponse = payload.type === 'view_submission' || payload.type === 'block_suggestion';
    return this.send('interactive', payload, acceptsResponse, opts);
  }

  /**
   * Delivers an Events API callback. Pass the inner event (`{ type: 'reaction_added', … }`) to have it wrapped in
   * an `event_callback` like Slack's, or a whole `{ type: 'event_callback', … }` body to send it unchanged.
   */
  sendEvent(
    eventPayload: { type: string } & Record<string, unknown>,
    opts?: SendOptions,
  ): Promise<EnvelopeAck> {
    const body = eventPayload.type === 'event_callback' ? eventPayload : eventCallback(eventPayload);
    return this.send('events_api', body, false, opts);
  }

  /**
   * Ends every open connection to exercise reconnects: by default as Slack refreshes a connection (a `disconnect`
   * message, then a close frame); with `abrupt` by destroying the sockets.
   */
  disconnectAll(opts: DisconnectOptions = {}): void {
    for (const socket of this.sockets.splice(0)) {
      if (opts.abrupt) {
        socket.terminate();
        continue;
      }
      socket.send(
        JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: debugInfo() }),
      );
      socket.close(1001, 'refresh_requested');
    }
  }

  /**
   * Closes every connection with a close handshake (waiting up to `graceMs` for clients to finish it, since Bolt's
   * `app.stop()` returns before its own handshake completes), then stops listening.
   */
  async close(graceMs = 1000): Promise<void> {
    this.sockets.length = 0;
    const clients = [...this.wss.clients];
    await Promise.all(
      clients.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              socket.terminate();
              resolve();
            }, graceMs);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            if (socket.readyState === socket.OPEN) socket.close(1001, 'going away');
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.connectionsOpened += 1;
    this.sockets.push(socket);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onClientMessage(data.toString());
    });
    socket.on('close', () => {
      const index = this.sockets.indexOf(socket);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: debugInfo(),
        connection_info: { app_id: SLACK_TEST_IDS.appId },
      }),
    );
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private onClientMessage(text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string') return;
    const pending = this.pending.get(message.envelope_id);
    const payload = message.payload as Record<string, unknown> | undefined;
    const ack: EnvelopeAck = {
      envelope_id: message.envelope_id,
      receivedAfterMs: pending ? Date.now() - pending.sentAt : 0,
      ...(payload && Object.keys(payload).length > 0 ? { payload } : {}),
    };
    this.acks.push(ack);
    if (pending) {
      this.pending.delete(message.envelope_id);
      pending.resolve(ack);
    }
  }

  private async send(
    type: EnvelopeType,
    payload: object,
    acceptsResponsePayload: boolean,
    { timeoutMs = SLACK_ACK_DEADLINE_MS }: SendOptions = {},
  ): Promise<EnvelopeAck> {
    await this.connected(timeoutMs);
    // Slack delivers each envelope to one of the app's connections; the newest is the one most likely alive.
    const socket = this.sockets[this.sockets.length - 1];
    const envelopeId = randomUUID();
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload,
    };
    if (type === 'events_api') Object.assign(envelope, { retry_attempt: 0, retry_reason: '' });
    return new Promise<EnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`No ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, {
        sentAt: Date.now(),
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
      });
      socket?.send(JSON.stringify(envelope));
    });
  }
}

function debugInfo(): Record<string, unknown> {
  return { host: 'applink-fake-0', build_number: 1, approximate_connection_time: 18060 };
}

function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  const eventTime = Math.floor(Date.now() / 1000);
  return {
    token: 'legacy-verification-token',
    team_id: SLACK_TEST_IDS.teamId,
    context_team_id: SLACK_TEST_IDS.teamId,
    api_app_id: SLACK_TEST_IDS.appId,
    event: { event_ts: `${eventTime}.000100`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: SLACK_TEST_IDS.teamId,
        user_id: SLACK_TEST_IDS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
