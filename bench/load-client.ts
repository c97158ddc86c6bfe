/**
 * Sends signed `/incident …` commands from a process of its own, so the measured ack latency is
 * the bot's and not this machine's other load (the fakes run in the bench process). Every request
 * is signed before the clock starts and goes over node:http with kept-alive connections (one per
 * request in flight), so the client's own cost stays out of the figure: against a bare HTTP
 * server this client measures single-digit milliseconds at 50 in flight.
 * Input: a JSON argument (LoadRequest). Output: JSON on the last line of stdout. An `armed`
 * client signs its requests, writes `armed` on a line of its own and sends them when a line comes
 * on stdin, so a burst can be fired at a chosen moment without waiting for a process to start.
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
  /** Command i is `mix[i % mix.length]`, instead of `text` in `channel`. */
  mix?: Array<{ text: string; channel: string }>;
  /** Wait for a line on stdin before sending (see above). */
  armed?: boolean;
  /** Answer the reply bodies too, so the caller can tell a command did its work. */
  replies?: boolean;
}

function post(agent: Agent, url: URL, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; elapsedMs: number; body: string }>((resolve, reject) => {
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
        let received = '';
        res.on('data', (chunk: Buffer) => {
          received += chunk.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, elapsedMs: performance.now() - started, body: received }),
        );
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
    const mixed = request.mix?.[i % request.mix.length];
    const body = slashCommandBody({
      text: mixed?.text ?? request.text ?? process.env.LOAD_TEXT ?? 'diag staging',
      channel_id: mixed?.channel ?? request.channel ?? `${request.channelPrefix}${i}`,
      trigger_id: `${request.channelPrefix}-${i}-${stamp}`,
    });
    return { body, headers: signSlackRequest(body, request.secret) };
  });
  if (request.armed) await fired();
  const acks = await inBatches(request.count, request.width, (i) => {
    const { body, headers } = signed[i] as (typeof signed)[number];
    return post(agent, url, body, { ...headers });
  });
  agent.destroy();
  const result = { latencies: acks.map((a) => a.elapsedMs), statuses: acks.map((a) => a.status) };
  process.stdout.write(
    `${JSON.stringify(request.replies ? { ...result, replies: acks.map((a) => a.body) } : result)}\n`,
  );
}

/** Says `armed` and resolves on the first line on stdin. */
function fired(): Promise<void> {
  process.stdout.write('armed\n');
  return new Promise((resolve) =>
    process.stdin.once('data', () => {
      process.stdin.pause();
      resolve();
    }),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
