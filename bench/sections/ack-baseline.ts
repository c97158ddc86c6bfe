/**
 * What the ack latency under load is to be read against: the floor of this machine and load client
 * (a bare node:http server answering at once, measured the same way, 200 requests, 50 in flight,
 * while a worker process idles beside it), and the bot's ack path one command at a time, without
 * queueing behind 49 others.
 */
import { spawn } from 'node:child_process';
import { SIGNING_SECRET } from '../../test/support/test-warroom';
import type { BenchRig } from '../bench-rig';
import { loadFromOwnProcess, percentile, row, type SectionResult } from '../lib';

export async function ackBaseline(rig: BenchRig): Promise<SectionResult> {
  const floor = p50p99(await bareServerFloor({ count: 200, width: 50 }));
  const single = await loadFromOwnProcess({
    base: rig.base,
    secret: SIGNING_SECRET,
    count: 100,
    width: 1,
    channelPrefix: 'CS',
  });
  const singleAck = p50p99(single.latencies);
  const rows = [
    row(
      'same client against a bare node:http server, p50 / p99 (the floor)',
      `${floor.p50.toFixed(0)} / ${floor.p99.toFixed(0)} ms`,
      '—',
      null,
    ),
    row(
      'ack p50 / p99, one at a time, --role app',
      `${singleAck.p50.toFixed(1)} / ${singleAck.p99.toFixed(1)} ms`,
      '—',
      null,
    ),
  ];
  return { rows, results: { floor, singleAck } };
}

const p50p99 = (latencies: number[]) => ({ p50: percentile(latencies, 50), p99: percentile(latencies, 99) });

/**
 * Ack latency of an HTTP server that does nothing, in a child process, through the same load
 * client: `count` requests, `width` in flight, after an unmeasured warm-up of 100, 50 in flight.
 */
export async function bareServerFloor(shape: { count: number; width: number }): Promise<number[]> {
  const code =
    "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end('{}')})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})";
  const server = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve) =>
      server.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim()))),
    );
    const base = `http://127.0.0.1:${port}`;
    const request = {
      base,
      secret: SIGNING_SECRET,
      count: 100,
      width: 50,
      channelPrefix: 'FW',
      text: 'help',
    };
    await loadFromOwnProcess(request);
    return (await loadFromOwnProcess({ ...request, ...shape, channelPrefix: 'F' })).latencies;
  } finally {
    server.kill();
  }
}
