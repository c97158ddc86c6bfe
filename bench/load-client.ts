/**
 * Sends signed `/incident …` commands from a process of its own, so the measured ack latency is
 * the bot's and not this machine's other load (the fakes run in the bench process). Every request
 * is signed before the clock starts and goes over node:http with kept-alive connections (one per
 * request in flight), so the client's own cost stays out of the figure: against a bare HTTP
 * server this client measures single-digit milliseconds at 50 in flight.
 * Input: a JSON argument { base, secret, count, width, channelPrefix, text?, channel? }. Output:
 * JSON on stdout.
 */
import { Agent, request as httpRequest } from 'node:http';
import { signSlackRequest, slashCommandBody } from '../test/support/slack-signing';
import { inBatches } from './lib';

interface LoadRequest {
  base: string;
  secret: string;
  count: number;
  width: number;
  channelPrefix: string;
  /** The command text; default `diag staging`. */
  text?: string;
  /** Every command in this channel (an incident's), instead of one channel per command. */
  channel?: string;
}

function post(agent: Agent, url: URL, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; elapsedMs: number }>((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, elapsedMs: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
  const stamp = Date.now();
  const url = new URL('/slack/events', request.base);
  const agent = new Agent({ keepAlive: true, maxSockets: request.width });
  const signed = Array.from({ length: request.count }, (_, i) => {
    const body = slashCommandBody({
      text: request.text ?? process.env.LOAD_TEXT ?? 'diag staging',
      channel_id: request.channel ?? `${request.channelPrefix}${i}`,
      trigger_id: `${request.channelPrefix}-${i}-${stamp}`,
    });
    return { body, headers: signSlackRequest(body, request.secret) };
  });
  const acks = await inBatches(request.count, request.width, (i) => {
    const { body, headers } = signed[i] as (typeof signed)[number];
    return post(agent, url, body, { ...headers });
  });
  agent.destroy();
  process.stdout.write(
    JSON.stringify({ latencies: acks.map((a) => a.elapsedMs), statuses: acks.map((a) => a.status) }),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
