import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { ScenarioInput } from '../../../src/simulator/scenario';
import { FakeSlack, type MessageView } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  APP_TOKEN,
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
} from '../../support/test-warroom';
import { waitUntil } from '../../support/wait-for';

const CHANNEL = SLACK_TEST_IDS.channelId;
/** A stack frame as Node prints it (`at fn (file.ts:12:5)`), or a path into the dependencies. */
const STACK_TRACE = /\bat [\w$.<>[\] ]+ \(?[^()\s]+:\d+:\d+\)?|node_modules/;

type Faults = NonNullable<ScenarioInput['faults']>;

/** The staging outage, with extra faults injected on top of the scenario's own. */
function outageWith(faults: Partial<Faults>): ScenarioInput {
  const outage = loadScenario('staging-outage');
  return { ...outage, faults: { ...outage.faults, ...faults } };
}

interface World {
  simulator: CloudSimulator;
  slack: FakeSlack;
  bot: TestWarroom;
  close(): Promise<void>;
}

async function startWorld(scenario: ScenarioInput, checkDeadlineMs?: number): Promise<World> {
  const simulator = await CloudSimulator.start({ scenario });
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const bot = await startTestWarroom({
    mode: 'http',
    slack,
    env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
    ...(checkDeadlineMs ? { checkDeadlineMs } : {}),
  });
  return {
    simulator,
    slack,
    bot,
    async close() {
      await bot.stop();
      await slack.close();
      await simulator.close();
    },
  };
}

/** Runs `/incident diag staging` and resolves with the finished status message and the time it took. */
async function diagnose(world: World, trigger: string): Promise<{ status: MessageView; elapsedMs: number }> {
  const { slack, bot } = world;
  const started = Date.now();
  const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
    text: 'diag staging',
    trigger_id: trigger,
  });
  expect((ack.json as { text: string }).text).toContain('Diagnosing *staging*');
  const topLevel = () => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  await slack.waitFor(() => topLevel().some((m) => m.text.includes('verdict:')), 25_000);
  const elapsedMs = Date.now() - started;
  await waitUntil(() => bot.warroom.isIdle(), 20_000, 'the bot to become idle');
  const [status, ...others] = topLevel();
  expect(others).toHaveLength(0);
  if (!status) throw new Error('no status message');
  return { status, elapsedMs };
}

/** The status line of one check in the finished message, e.g. `:question: *cloud-sql* — could not run: …`. */
function checkLine(status: MessageView, check: string): string {
  const text = (status.blocks ?? []).map((b) => JSON.stringify(b)).join('\n');
  const line = text.split(/\\n|"/).find((l) => l.includes(`*${check}*`));
  if (!line) throw new Error(`no line for ${check} in ${text}`);
  return line;
}

/** What every finished diagnosis must satisfy, whatever Google did. */
function expectFinishedCleanly(world: World, status: MessageView): void {
  const blocks = JSON.stringify(status.blocks);
  expect(blocks).not.toContain('running');
  expect(blocks).not.toContain('queued');
  expect(blocks).toContain('*Next step:*');
  for (const message of world.slack.messages(CHANNEL)) {
    expect(`${message.text}\n${JSON.stringify(message.blocks)}`).not.toMatch(STACK_TRACE);
  }
  const keys = world.slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args.metadata));
  expect(new Set(keys).size).toBe(keys.length);
}

describe('/incident diag when Google Cloud answers errors, then recovers', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(
      outageWith({
        errors: [
          { method: 'run.services.get', status: 503, times: 2 },
          { method: 'vpcaccess.connectors.get', status: 500, times: 2 },
          { method: 'monitoring.timeSeries.list', status: 500, times: 1 },
        ],
      }),
    );
  });
  afterAll(async () => {
    await world?.close();
  });

  it('retries through the 503s and 500s and still names the connector', async () => {
    const { status } = await diagnose(world, 'google-errors-1');

    // The faults were served: the failing calls were made again.
    const gets = (path: RegExp) =>
      world.simulator.requests.filter((r) => r.method === 'GET' && path.test(r.path)).length;
    expect(gets(/\/connectors\/staging-connector$/)).toBeGreaterThanOrEqual(3);
    expect(gets(/\/services\/(backend|auth|ai)$/)).toBeGreaterThanOrEqual(3 + 2);
    expect(status.text).toContain('verdict: vpc-connector-down ');
    expect(checkLine(status, 'vpc-connector')).toMatch(/:red_circle: \*vpc-connector\* — ERROR/);
    expect(checkLine(status, 'cloud-run')).toContain(':red_circle:');
    expect(checkLine(status, 'cloud-run')).toContain('3/3 services not ready');
    expect(JSON.stringify(status.blocks)).not.toContain('*Could not check*');
    expectFinishedCleanly(world, status);
  });
});

describe('/incident diag when Google Cloud answers a truncated JSON body', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(outageWith({ malformedJson: ['cloudsql.instances.get'] }));
  });
  afterAll(async () => {
    await world?.close();
  });

  it('reports Cloud SQL as unknown because the answer was malformed, and keeps the verdict honest', async () => {
    const { status } = await diagnose(world, 'google-malformed-1');

    const sql = checkLine(status, 'cloud-sql');
    expect(sql).toMatch(/^:question: \*cloud-sql\* — could not run: .*malformed/);
    expect(sql).toMatch(/not (valid JSON|the JSON (object )?the API defines)/);
    // The connector's state is direct evidence; the part that could not be seen is named.
    expect(status.text).toContain('verdict: vpc-connector-down ');
    const blocks = JSON.stringify(status.blocks);
    expect(blocks).toMatch(/\*Could not check\*[^"]*cloud-sql/);
    // The details in the thread say the same, without a stack.
    const replies = world.slack.thread(CHANNEL, status.ts).filter((m) => m.ts !== status.ts);
    expect(replies.some((m) => m.text.includes('cloud-sql') && /malformed|not valid JSON/.test(m.text))).toBe(
      true,
    );
    expectFinishedCleanly(world, status);
  });
});

describe('/incident diag when Cloud Logging hangs', () => {
  const DEADLINE_MS = 1500;
  let world: World;
  beforeAll(async () => {
    world = await startWorld(outageWith({ hang: ['logging.logEntries.list'] }), DEADLINE_MS);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('times the logs check out at its deadline and finishes the run soon after', async () => {
    const { status, elapsedMs } = await diagnose(world, 'google-hang-1');

    expect(checkLine(status, 'logs')).toMatch(/^:question: \*logs\* — [^"]*(deadline|timed out|no answer)/);
    // The deadline, plus the outbox's one-second spacing of updates and a margin for a loaded machine.
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + 3500);
    expect(world.simulator.requests.some((r) => r.path.includes('/entries:list'))).toBe(true);
    expect(status.text).toContain('verdict: vpc-connector-down ');
    expectFinishedCleanly(world, status);
  });
});
