/**
 * Builds and signs the HTTP requests Slack itself sends to an app in HTTP mode (slash commands, interactions,
 * events), so integration tests can drive the real Bolt HTTPReceiver at `/slack/events` over a real socket.
 */
import { createHmac } from 'node:crypto';

/** The form fields Slack posts for a slash command (all strings, as on the wire). */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export interface SignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export interface SignedPostOptions {
  /** Defaults to now; set it to prove stale requests are refused. */
  timestampSec?: number;
  /** Sent instead of the computed signature, to prove forged requests are refused. */
  signature?: string;
  /** Sent as well, e.g. Slack's `x-slack-retry-num` and `x-slack-retry-reason` on a redelivery. */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  elapsedMs: number;
}

/** IDs shared by the Slack fakes, so a payload built here matches the workspace FakeSlack simulates. */
export const SLACK_TEST_IDS = {
  teamId: 'T0001',
  teamDomain: 'warroom-test',
  appId: 'A0WARROOM',
  botUserId: 'U0WARROOM',
  botId: 'B0WARROOM',
  channelId: 'C0000000001',
  channelName: 'ops',
  userId: 'U0000000001',
  userName: 'alice',
} as const;

/** Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>`, hex, prefixed `v0=`. */
export function signSlackRequest(
  rawBody: string,
  signingSecret: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): SignatureHeaders {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSec) };
}

/** A complete slash-command field set with realistic defaults (`/incident` from alice in #ops). */
export function slashCommandFields(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  return {
    token: 'legacy-verification-token',
    team_id: SLACK_TEST_IDS.teamId,
    team_domain: SLACK_TEST_IDS.teamDomain,
    channel_id: SLACK_TEST_IDS.channelId,
    channel_name: SLACK_TEST_IDS.channelName,
    user_id: SLACK_TEST_IDS.userId,
    user_name: SLACK_TEST_IDS.userName,
    command: '/incident',
    text: '',
    api_app_id: SLACK_TEST_IDS.appId,
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/${SLACK_TEST_IDS.teamId}/1234567890/unreachable-in-tests`,
    trigger_id: '1234567890.1234567890.0123456789abcdef0123456789abcdef',
    ...fields,
  };
}

/** The url-encoded body Slack posts for a slash command. */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  return new URLSearchParams({ ...slashCommandFields(fields) }).toString();
}

/** POSTs a signed slash command to `${baseUrl}/slack/events`. */
export function postSlashCommand(
  baseUrl: string,
  signingSecret: string,
  fields: Partial<SlashCommandFields>,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(
    baseUrl,
    signingSecret,
    slashCommandBody(fields),
    'application/x-www-form-urlencoded',
    opts,
  );
}

/** POSTs a signed interaction (`payload=<url-encoded JSON>`, as Slack sends block actions and view submissions). */
export function postInteraction(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(baseUrl, signingSecret, body, 'application/x-www-form-urlencoded', opts);
}

/** POSTs a signed Events API callback (JSON), e.g. `{ type: 'event_callback', event: { type: 'reaction_added', … } }`. */
export function postEvent(
  baseUrl: string,
  signingSecret: string,
  body: object,
  opts: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(baseUrl, signingSecret, JSON.stringify(body), 'application/json', opts);
}

async function postSigned(
  baseUrl: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  opts: SignedPostOptions,
): Promise<SignedPostResult> {
  const headers = signSlackRequest(rawBody, signingSecret, opts.timestampSec);
  if (opts.signature !== undefined) headers['x-slack-signature'] = opts.signature;
  const started = performance.now();
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...opts.headers, ...headers },
    body: rawBody,
  });
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  const result: SignedPostResult = { status: response.status, body, elapsedMs };
  try {
    result.json = JSON.parse(body);
  } catch {
    // Not JSON (an empty ack, or Bolt's plain-text error body): `body` has it.
  }
  return result;
}
