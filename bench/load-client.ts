/**
 * Sends signed `/incident diag staging` commands from a process of its own, so the measured ack
 * latency is the bot's and not this machine's other load (the fakes run in the bench process).
 * Input: a JSON argument { base, secret, count, width, channelPrefix }. Output: JSON on stdout.
 */
import { postSlashCommand } from '../test/support/slack-signing';
import { inBatches } from './lib';

interface LoadRequest {
  base: string;
  secret: string;
  count: number;
  width: number;
  channelPrefix: string;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
  const stamp = Date.now();
  const acks = await inBatches(request.count, request.width, (i) =>
    postSlashCommand(request.base, request.secret, {
      text: process.env.LOAD_TEXT ?? 'diag staging',
      channel_id: `${request.channelPrefix}${i}`,
      trigger_id: `${request.channelPrefix}-${i}-${stamp}`,
    }),
  );
  process.stdout.write(
    JSON.stringify({ latencies: acks.map((a) => a.elapsedMs), statuses: acks.map((a) => a.status) }),
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
