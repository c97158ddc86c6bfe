import { CHECKS } from '../../../src/diag/checks';
import { DIAG_CHECK_QUEUE, DIAG_START_QUEUE } from '../../../src/diag/diag-queue';
import { diagMessageKeys } from '../../../src/diag/diag-run';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { BotQueues } from '../../support/bot-queues';
import { channelTimeline } from '../../support/channel-timeline';
import { FakeSlack } from '../../support/fake-slack';
import { type Replica, Replicas } from '../../support/replicas';
import { postEvent, postInteraction, postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { REDIS_URL, type TestConfig, writeTestConfig } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/test-warroom';
import { waitFor } from '../../support/wait-for';
import { botProcessEnv } from '../../support/warroom-process';

const CHANNEL = SLACK_TEST_IDS.channelId;
const RESPONDER = 'U0RESP';
const APPROVER = 'U0APPROVER';
const ONCALL = 'U0ONCALL';
const ACCESS = `access: { responders: [${RESPONDER}, ${APPROVER}], approvers: [${APPROVER}] }`;
/** One primary on-call, paged when an incident opens; no escalation within the test. */
const CONTACTS = [
  `contacts:\n  infra: { tier: primary, slack: [${ONCALL}] }`,
  'escalation: { ackTimeout: 30m }',
  `access: { responders: [${RESPONDER}, ${ONCALL}] }`,
].join('\n');
/** What Slack adds when it delivers a request again because the first answer did not come in time. */
const SLACK_RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

/**
 * Two Warroom processes, each with every role, on one Redis and one queue prefix: what a deployment
 * scaled to two replicas behind a load balancer runs. Slack may deliver a request to either, and
 * either may die at any moment.
 */
describe('two Warroom replicas on one Redis', () => {
  let slack: FakeSlack;
  let simulator: CloudSimulator | undefined;
  let config: TestConfig | undefined;
  let queues: BotQueues | undefined;
  let replicas: Replicas | undefined;

  beforeAll(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  });
  afterAll(async () => {
    await slack.close();
  });
  afterEach(async () => {
    await replicas?.stop();
    await queues?.close();
    await simulator?.close();
    await config?.cleanup();
    replicas = undefined;
    queues = undefined;
    simulator = undefined;
    config = undefined;
    slack.reset({ workspace: true });
  });

  /** Google Cloud as `scenario`, a config of the test's own and two replicas of the bot. */
  async function deploy(
    scenario: Parameters<typeof CloudSimulator.start>[0]['scenario'],
    options: { configExtra?: string; env?: Record<string, string> } = {},
  ): Promise<{ a: Replica; b: Replica }> {
    simulator = await CloudSimulator.start({ scenario });
    config = writeTestConfig(options.configExtra ?? '');
    queues = new BotQueues(config.prefix);
    const env = botProcessEnv({
      slackUrl: slack.url,
      configPath: config.path,
      emulatorHost: simulator.emulatorHost,
    });
    replicas = await Replicas.start({ ...env, ...options.env });
    return { a: replicas.at(0), b: replicas.at(1) };
  }

  const topLevel = () => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const postedKeys = () => slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.metadata));
  const runIdIn = (text: string) => /\(run (d[0-9a-f]+)\)/.exec(text)?.[1] ?? '';

  it('runs a slash command that Slack delivers again to the other replica once: one diagnosis, one message', async () => {
    const { a, b } = await deploy('healthy');
    const command = { text: 'diag staging', trigger_id: 'retried-1' };

    // The retry after a timeout: the first replica has the request, the second gets it again.
    const first = await postSlashCommand(a.baseUrl, SIGNING_SECRET, command);
    const retry = await postSlashCommand(b.baseUrl, SIGNING_SECRET, command, { headers: SLACK_RETRY });
    // Both at once: a retry that arrives while the first delivery is still being handled.
    await slack.waitFor(() => topLevel().some((m) => m.text.includes('verdict:')), 30_000);
    await queues?.untilIdle();
    const concurrent = { text: 'diag staging', trigger_id: 'retried-2' };
    const [third, fourth] = await Promise.all([
      postSlashCommand(a.baseUrl, SIGNING_SECRET, concurrent),
      postSlashCommand(b.baseUrl, SIGNING_SECRET, concurrent, { headers: SLACK_RETRY }),
    ]);
    await slack.waitFor(() => topLevel().filter((m) => m.text.includes('verdict:')).length === 2, 30_000);
    await queues?.untilIdle();

    for (const ack of [first, retry, third, fourth]) {
      expect(ack.status).toBe(200);
      expect(ack.elapsedMs).toBeLessThan(3000);
    }
    const reply = (ack: { json?: unknown }) => (ack.json as { text: string }).text;
    expect(runIdIn(reply(first))).not.toBe('');
    expect(runIdIn(reply(retry))).toBe(runIdIn(reply(first)));
    expect(runIdIn(reply(fourth))).toBe(runIdIn(reply(third)));
    expect(runIdIn(reply(third))).not.toBe(runIdIn(reply(first)));
    // One run per command: one start, one job per check, one message each, nothing posted twice.
    const started = await queues?.jobs(DIAG_START_QUEUE, 'start', ['completed']);
    expect(started?.map((j) => j.data.meta.id).sort()).toEqual(
      [runIdIn(reply(first)), runIdIn(reply(third))].sort(),
    );
    const checks = await queues?.queue(DIAG_CHECK_QUEUE).getJobs(['completed', 'failed']);
    expect(checks).toHaveLength(2 * CHECKS.length);
    expect(topLevel()).toHaveLength(2);
    expect(new Set(postedKeys()).size).toBe(postedKeys().length);
  }, 120_000);

  it('opens one incident and records one 📌 when the command and the event reach both replicas', async () => {
    for (const id of [RESPONDER, ONCALL]) slack.addUser({ id, name: id.toLowerCase() });
    const { a, b } = await deploy('healthy', { configExtra: CONTACTS });
    const open = {
      text: 'open staging "Checkout answers 503" --sev P2',
      user_id: RESPONDER,
      trigger_id: 'open-retried',
    };
    const acks = await Promise.all([
      postSlashCommand(a.baseUrl, SIGNING_SECRET, open),
      postSlashCommand(b.baseUrl, SIGNING_SECRET, open, { headers: SLACK_RETRY }),
    ]);
    for (const ack of acks) expect((ack.json as { text: string }).text).toContain('Opening a P2 incident');
    // The primary on-call's page (a DM with the Acknowledge button) is the last thing opening does.
    const pages = () =>
      slack
        .callsTo('chat.postMessage')
        .filter(
          (c) =>
            String(c.args.channel).startsWith('D') &&
            JSON.stringify(c.args.blocks ?? '').includes('incident_ack'),
        );
    await slack.waitFor(() => pages().length > 0, 30_000);
    await queues?.untilIdle();
    const channel = String(slack.callsTo('pins.add')[0]?.args.channel);

    // Slack redelivers an event it got no answer for in 3 s: the same event, to the other replica.
    const pinnedTs = slack.addMessage(channel, { text: 'checkout pods restarting in a loop', user: ONCALL });
    const event = {
      type: 'event_callback',
      team_id: SLACK_TEST_IDS.teamId,
      api_app_id: SLACK_TEST_IDS.appId,
      event_id: 'Ev0PIN',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'reaction_added',
        user: RESPONDER,
        reaction: 'pushpin',
        item: { type: 'message', channel, ts: pinnedTs },
        item_user: ONCALL,
        event_ts: '1.3',
      },
    };
    const delivered = [
      await postEvent(a.baseUrl, SIGNING_SECRET, event),
      await postEvent(b.baseUrl, SIGNING_SECRET, event, { headers: SLACK_RETRY }),
    ];
    expect(delivered.map((d) => d.status)).toEqual([200, 200]);
    await queues?.untilIdle();

    expect(slack.callsTo('conversations.create')).toHaveLength(1);
    expect(slack.callsTo('pins.add')).toHaveLength(1);
    expect(pages()).toHaveLength(1);
    const timeline = await channelTimeline(REDIS_URL, config?.prefix ?? '', channel);
    expect(timeline.filter((e) => e.kind === 'opened')).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'pin').map((e) => e.text)).toEqual([
      'checkout pods restarting in a loop',
    ]);
    expect(new Set(postedKeys()).size).toBe(postedKeys().length);
  }, 120_000);

  it('asks once and restarts once when the same command and the same Approve click reach both replicas, one after the other or at once', async () => {
    const scenario = loadScenario('connector-restored');
    const { a, b } = await deploy(
      { ...scenario, rollout: { ...scenario.rollout, readyAfterMs: 300 } },
      { configExtra: ACCESS },
    );
    const patchesOf = (service: string) =>
      simulator?.requests.filter(
        (r) =>
          r.method === 'PATCH' && !r.query.includes('validateOnly=true') && r.path.endsWith(`/${service}`),
      ) ?? [];
    const messageOf = (id: string) => slack.messages(CHANNEL).find((m) => m.text.includes(id));

    /** Asks for a restart on replica A, and Slack delivers the command again to replica B. */
    const ask = async (service: string, together: boolean) => {
      const command = {
        text: `restart staging ${service} --reason connector recreated`,
        user_id: RESPONDER,
        trigger_id: `ask-${service}`,
      };
      const send = (replica: Replica, retry: boolean) =>
        postSlashCommand(replica.baseUrl, SIGNING_SECRET, command, retry ? { headers: SLACK_RETRY } : {});
      const acks = together
        ? await Promise.all([send(a, false), send(b, true)])
        : [await send(a, false), await send(b, true)];
      const texts = acks.map((ack) => (ack.json as { text: string }).text);
      expect(texts.filter((t) => t.includes("needs a second person's approval"))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('was already received: awaiting-approval'))).toHaveLength(1);
      const ids = texts.map((t) => /\b(r[0-9a-f]{10})\b/.exec(t)?.[1] ?? '');
      expect(ids[1]).toBe(ids[0]);
      const id = ids[0] ?? '';
      await slack.waitFor(
        () => JSON.stringify(messageOf(id)?.blocks ?? '').includes('remediation_approve'),
        15_000,
      );
      return id;
    };
    const approveClick = (id: string, tag: string) => ({
      type: 'block_actions',
      user: { id: APPROVER, username: 'approver', team_id: SLACK_TEST_IDS.teamId },
      team: { id: SLACK_TEST_IDS.teamId, domain: SLACK_TEST_IDS.teamDomain },
      api_app_id: SLACK_TEST_IDS.appId,
      token: 'legacy',
      container: { type: 'message', channel_id: CHANNEL, message_ts: '1.1' },
      channel: { id: CHANNEL, name: SLACK_TEST_IDS.channelName },
      trigger_id: tag,
      response_url: slack.responseUrl(tag),
      actions: [
        {
          type: 'button',
          action_id: 'remediation_approve',
          block_id: `remediation:${id}`,
          value: id,
          action_ts: '1.2',
        },
      ],
    });
    const answersTo = async (tag: string) => {
      await slack.waitFor(() => slack.responsesTo(tag).length === 2, 15_000);
      return slack.responsesTo(tag).map((r) => JSON.stringify(r.body));
    };

    const one = await ask('backend', false);
    const inTurn = approveClick(one, 'approve-backend');
    const clicks = [
      await postInteraction(a.baseUrl, SIGNING_SECRET, inTurn),
      await postInteraction(b.baseUrl, SIGNING_SECRET, inTurn, { headers: SLACK_RETRY }),
    ];
    const two = await ask('auth', true);
    const atOnce = approveClick(two, 'approve-auth');
    clicks.push(
      ...(await Promise.all([
        postInteraction(a.baseUrl, SIGNING_SECRET, atOnce),
        postInteraction(b.baseUrl, SIGNING_SECRET, atOnce, { headers: SLACK_RETRY }),
      ])),
    );
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200]);

    for (const [id, tag] of [
      [one, 'approve-backend'],
      [two, 'approve-auth'],
    ] as const) {
      const answers = await answersTo(tag);
      expect(answers.filter((t) => t.includes('Approved.'))).toHaveLength(1);
      expect(answers.filter((t) => t.includes('already decided'))).toHaveLength(1);
      await slack.waitFor(() => (messageOf(id)?.text ?? '').includes('ready and serving'), 30_000);
    }
    await queues?.untilIdle();

    expect(patchesOf('backend')).toHaveLength(1);
    expect(patchesOf('auth')).toHaveLength(1);
    expect(JSON.stringify(patchesOf('backend')[0]?.body)).toContain(`"warroom.dev/request":"${one}"`);
    expect(JSON.stringify(patchesOf('auth')[0]?.body)).toContain(`"warroom.dev/request":"${two}"`);
    // One message per request, updated in place.
    expect(slack.messages(CHANNEL).filter((m) => m.text.includes(one))).toHaveLength(1);
    expect(slack.messages(CHANNEL).filter((m) => m.text.includes(two))).toHaveLength(1);
    expect(new Set(postedKeys()).size).toBe(postedKeys().length);
  }, 120_000);

  it('finishes a diagnosis on the other replica when one is killed with SIGKILL mid-run: one message, its verdict', async () => {
    // Slow Google answers keep the checks running when the replica dies; debug logs say which
    // replica calls Google (only a worker does), so the one killed has checks in hand.
    const { a, b } = await deploy('slow', { env: { LOG_LEVEL: 'debug' } });
    const callsGoogle = (r: Replica) => r.process.output.includes('"msg":"Google Cloud call');
    const ack = await postSlashCommand(a.baseUrl, SIGNING_SECRET, {
      text: 'diag staging',
      trigger_id: 'killed-mid-run',
    });
    const runId = runIdIn((ack.json as { text: string }).text);
    await slack.waitFor(() => topLevel().length > 0, 20_000);
    await waitFor(
      () => callsGoogle(a) || callsGoogle(b),
      20_000,
      () => 'a replica to call Google',
    );
    expect(topLevel().some((m) => m.text.includes('verdict:'))).toBe(false);
    const [doomed, survivor] = callsGoogle(a) ? [a, b] : [b, a];
    await replicas?.crash(doomed);
    const killedAt = Date.now();

    // The survivor decides the verdict (it logs the finish), and the message ends on it.
    await waitFor(
      () => survivor.process.output.includes('"msg":"diag finished"'),
      60_000,
      () => 'the surviving replica to finish the run',
    );
    await slack.waitFor(() => topLevel().some((m) => m.text.includes('verdict:')), 60_000);
    const recoveredMs = Date.now() - killedAt;
    // Nothing can post later: no job is left to run or retry, and the outbox has delivered everything.
    await queues?.untilIdle({ delayed: true });

    expect(survivor.process.child.exitCode).toBeNull();
    // The dead replica's jobs were taken over, not run from scratch by a second start.
    const checks = (await queues?.queue(DIAG_CHECK_QUEUE).getJobs(['completed', 'failed'])) ?? [];
    expect(checks).toHaveLength(CHECKS.length);
    expect(checks.some((j) => j.stalledCounter > 0)).toBe(true);
    expect(await queues?.jobs(DIAG_START_QUEUE, 'start', ['completed'])).toHaveLength(1);
    const top = topLevel();
    expect(top).toHaveLength(1);
    expect(top[0]?.text).toContain('verdict:');
    expect(top[0]?.metadata?.event_payload.key).toBe(diagMessageKeys.status(runId));
    expect(JSON.stringify(top[0]?.blocks)).not.toContain('running');
    expect(new Set(postedKeys()).size).toBe(postedKeys().length);
    // BullMQ hands a dead worker's job on once its lock lapses (src/queue/queues.ts: ~15 s); the
    // dead replica's hold on the channel's messages lapses within 30 s (src/chat/outbox-drainer.ts).
    expect(recoveredMs).toBeLessThan(45_000);
  }, 120_000);
});
