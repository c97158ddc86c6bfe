import { FlowProducer, type Job, Queue } from 'bullmq';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { CHECKS } from '../../../src/diag/checks';
import { diagStartProcessor } from '../../../src/diag/diag-jobs';
import { DIAG_CHECK_QUEUE, DIAG_QUEUE, type DiagStartJobData } from '../../../src/diag/diag-queue';
import { type DiagRunMeta, diagMessageKeys } from '../../../src/diag/diag-run';
import { RedisDiagRunStore } from '../../../src/diag/redis-diag-run-store';
import { didNotReport } from '../../../src/diag/run-check';
import type { CloudGateway } from '../../../src/gcp/cloud-gateway';
import { stagingConfigYaml } from '../../support/test-config';
import { OutboxHarness } from '../chat/outbox-harness';
import { RecordingChatSink } from '../chat/recording-chat-sink';

const CHANNEL = 'C0REDELIVER';

/** Starting a run never calls Google: a call would fail the job, and the test with it. */
const NO_GOOGLE = {} as CloudGateway;

/**
 * BullMQ runs a job again when the worker that had it dies before it completes (its lock lapses):
 * the start job of a run may run twice, on two workers, having done part or all of its work the
 * first time.
 */
describe('the diag start job, run again after its worker died', () => {
  let harness: OutboxHarness;
  let flows: FlowProducer;
  let queues: Queue[];

  beforeEach(() => {
    harness = new OutboxHarness();
    flows = new FlowProducer({ connection: harness.connect(), prefix: harness.prefix.tag });
    queues = [DIAG_QUEUE, DIAG_CHECK_QUEUE].map(
      (name) => new Queue(name, { connection: harness.redis, prefix: harness.prefix.tag }),
    );
  });
  afterEach(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await flows.close();
    await harness.close();
  });

  function start() {
    const parsed = parseConfig(stagingConfigYaml(harness.prefix.name), 'test');
    if (!parsed.ok) throw new Error('the test config does not parse');
    const store = new RedisDiagRunStore(harness.redis, harness.prefix);
    const processor = diagStartProcessor({
      store,
      flows,
      outbox: harness.outbox,
      gateway: NO_GOOGLE,
      config: parsed.config,
      log: pino({ level: 'silent' }),
      env: {},
      checkDeadlineMs: 1000,
    });
    const meta: DiagRunMeta = {
      id: 'dredelivered1',
      environment: 'staging',
      channelId: CHANNEL,
      requestedBy: 'U0001',
      startedAt: new Date().toISOString(),
      checks: CHECKS.map((c) => c.name),
    };
    const job = { name: 'start', data: { meta } } as Job<DiagStartJobData>;
    return { store, meta, run: () => processor(job) };
  }

  it('posts no second run message and adds no second flow, even after checks have reported', async () => {
    const sink = new RecordingChatSink();
    harness.startDrainer(sink);
    const { store, meta, run } = start();

    await run();
    await harness.drained();
    // A check reports before the start job runs again (its worker died before completing it).
    await store.setFinding(didNotReport('logs'), meta.id);
    await run();
    await harness.drained();

    const posts = sink.postsIn(CHANNEL);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.key).toBe(diagMessageKeys.status(meta.id));
    // The message shows the run as stored, not as it was when the start job first ran.
    expect(posts[0]?.text).toContain(`1/${CHECKS.length} checks done`);
    const [parents, checks] = await Promise.all(queues.map((q) => q.getJobs()));
    expect(parents?.map((j) => j.id)).toEqual([meta.id]);
    expect(checks).toHaveLength(CHECKS.length);
    expect((await store.get(meta.id))?.run.startedAt).toBe(meta.startedAt);
  });
});
