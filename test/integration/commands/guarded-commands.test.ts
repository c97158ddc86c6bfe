import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack } from '../../support/fake-slack';
import { freePort } from '../../support/free-port';
import { postInteraction, postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

const OPS = SLACK_TEST_IDS.channelId;
const RESPONDER = 'U0RESP';
const APPROVER = 'U0APPR';
const ONCALL = 'U0ONCALL';
const STRANGER = 'U0STRANGER';
const WEB_SECRET = 'web-secret-for-tests-0123456789abcdef0123456789';

/**
 * What a person types does only what they meant, and only the people the access model names may do
 * it: through signed requests to the real bot, its real Redis, the Google Cloud simulator (with
 * `approval: none`, so a restart that is not a dry run would patch the service at once) and a
 * loopback Slack.
 */
describe('guarded commands, through Slack', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  let base: string;

  beforeAll(async () => {
    const scenario = loadScenario('connector-restored');
    simulator = await CloudSimulator.start({
      scenario: { ...scenario, rollout: { ...scenario.rollout, readyAfterMs: 200 } },
    });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: ONCALL, name: 'oncall' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: [
        `contacts:\n  infra: { tier: primary, slack: [${ONCALL}] }\n  google: { tier: secondary, slack: [U0GOOGLE] }`,
        `access: { responders: [${RESPONDER}], approvers: [${APPROVER}] }`,
      ].join('\n'),
      environmentExtra: ['remediation: { approval: none }'],
      env: {
        PORT: String(port),
        GCP_EMULATOR_HOST: simulator.emulatorHost,
        WARROOM_PUBLIC_URL: base,
        WARROOM_WEB_SECRET: WEB_SECRET,
      },
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  let trigger = 0;
  let incidentChannel = '';
  const command = async (text: string, user: string, channel: string = OPS) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      user_id: user,
      channel_id: channel,
      trigger_id: `t-${++trigger}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    const reply = response.json as { text: string; blocks?: unknown };
    // The text, and what the blocks show (where a long reply such as the timeline puts its lines).
    return reply.blocks ? `${reply.text}\n${JSON.stringify(reply.blocks)}` : reply.text;
  };
  /** The value of the Acknowledge button in the DM that paged the on-call engineer. */
  const ackButton = () => {
    const dm = slack
      .callsTo('chat.postMessage')
      .find(
        (c) =>
          String(c.args.channel).startsWith('D') && JSON.stringify(c.args.blocks).includes('incident_ack'),
      );
    return JSON.stringify(dm?.args.blocks ?? [])
      .match(/"value":"(\{[^}]*\})"/)?.[1]
      ?.replace(/\\"/g, '"');
  };
  const clickAck = async (user: string) => {
    const tag = `ack-${user}-${++trigger}`;
    const response = await postInteraction(bot.baseUrl, SIGNING_SECRET, {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: SLACK_TEST_IDS.teamId },
      team: { id: SLACK_TEST_IDS.teamId, domain: 'warroom-test' },
      api_app_id: SLACK_TEST_IDS.appId,
      token: 'legacy',
      container: { type: 'message', channel_id: 'D0ONCALL', message_ts: '1.1' },
      channel: { id: 'D0ONCALL', name: 'directmessage' },
      trigger_id: tag,
      response_url: slack.responseUrl(tag),
      actions: [
        { type: 'button', action_id: 'incident_ack', block_id: 'b', value: ackButton(), action_ts: '1.2' },
      ],
    });
    expect(response.status).toBe(200);
    await slack.waitFor(() => slack.responsesTo(tag).length > 0, 10_000);
    return JSON.stringify(slack.responsesTo(tag)[0]?.body);
  };
  const patches = () =>
    simulator.requests.filter((r) => r.method === 'PATCH' && !r.query.includes('validateOnly=true'));

  it('keeps an apostrophe in a reason a letter, so --dry-run after it is a dry run that changes nothing', async () => {
    simulator.requests.splice(0);
    const reply = await command("restart staging backend --reason it's down --dry-run", RESPONDER);
    expect(reply).toContain('Dry run of the restart of *backend*');
    await waitUntilIdle(bot.warroom);
    expect(patches()).toHaveLength(0);
    const message = slack.messages(OPS).find((m) => m.text.includes('Dry run'));
    expect(JSON.stringify(message?.blocks)).toContain("it's down");
  });

  it('refuses an unbalanced quote with where it is, and a flag it does not know, and changes nothing', async () => {
    simulator.requests.splice(0);
    const unbalanced = await command(
      "restart staging backend --reason 'cause it is down --dry-run",
      RESPONDER,
    );
    expect(unbalanced).toContain('at character 34');
    const unknown = await command('restart staging backend --reason down --force', RESPONDER);
    expect(unknown).toContain('Unknown option "--force"');
    await waitUntilIdle(bot.warroom);
    expect(simulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('lets only responders restart', async () => {
    simulator.requests.splice(0);
    const reply = await command('restart staging backend --dry-run', STRANGER);
    expect(reply).toContain('Only responders may use `/incident restart`');
    await waitUntilIdle(bot.warroom);
    expect(simulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('keeps closing and escalating to responders and the commander, takes notes as typed, and closed means closed', async () => {
    expect(await command('open staging Every endpoint answers 503 --sev P1', STRANGER)).toContain(
      'Opening a P1 incident',
    );
    await slack.waitFor(() => slack.callsTo('pins.add').length > 0, 15_000);
    const name = String(slack.callsTo('conversations.create')[0]?.args.name);
    const channel = slack.channel(name)?.id ?? '';
    incidentChannel = channel;
    expect(channel).toMatch(/^C/);

    expect(await command("note can't connect: it's the connector", ONCALL, channel)).toContain('Noted');
    expect(await command('escalate secondary', ONCALL, channel)).toContain(
      'Only responders or the incident’s commander may use `/incident escalate`',
    );
    expect(await command('close all fine', 'U0OTHER', channel)).toContain('Only responders');
    expect(await command('ack', 'U0OTHER', channel)).toContain('Only the people paged');
    // The Acknowledge button is `/incident ack`: the same rule for someone it was forwarded to.
    await slack.waitFor(() => ackButton() !== undefined, 10_000);
    expect(await clickAck('U0OTHER')).toContain('Only the people paged');
    expect(await command('ack', ONCALL, channel)).toContain('Acknowledged');

    // The opener is the commander: they may close.
    expect(await command('close connector recreated', STRANGER, channel)).toContain('Closed.');
    await waitUntilIdle(bot.warroom);
    const dmsBefore = slack.callsTo('conversations.open').length;
    expect(await command('escalate secondary', RESPONDER, channel)).toContain('was closed');
    expect(await command('status back up', RESPONDER, channel)).toContain('was closed');
    expect(await clickAck(ONCALL)).toContain('was closed');
    await waitUntilIdle(bot.warroom);
    expect(slack.callsTo('conversations.open')).toHaveLength(dmsBefore);

    const timeline = await command('timeline', STRANGER, channel);
    expect(timeline).toContain("can't connect: it's the connector");
    expect(timeline).toContain('refused: not listed');
    expect(timeline).not.toContain('Escalated');
  });

  it('gives no link in help, the list link to responders only, and revokes it', async () => {
    const help = await command('help', STRANGER);
    expect(help).not.toContain(base);
    expect(await command('links', STRANGER)).toContain('Only responders may use `/incident links`');

    const reply = await command('links', RESPONDER);
    const link = /<(http[^|>]+)\|All incidents>/.exec(reply)?.[1] ?? '';
    expect(link).toContain(`${base}/incidents?token=`);
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${base}/incidents`, { headers: { cookie } })).status).toBe(200);

    expect(await command('links revoke', RESPONDER)).toContain('stopped working');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${base}/incidents`, { headers: { cookie } })).status).toBe(403);
    const fresh = /<(http[^|>]+)\|All incidents>/.exec(await command('links', RESPONDER))?.[1] ?? '';
    expect((await fetch(fresh, { redirect: 'manual' })).status).toBe(303);
  });

  it('revokes an incident’s page links in its channel, and re-posts the header with a new one', async () => {
    const reply = await command('links', RESPONDER, incidentChannel);
    const link = /<(http[^|>]+)\|This incident’s page>/.exec(reply)?.[1] ?? '';
    expect(link).toContain(`${base}/incidents/inc-`);
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = new URL(link).pathname;
    expect((await fetch(`${base}${page}`, { headers: { cookie } })).status).toBe(200);
    const headerLink = () =>
      /<(http[^|>]+)\|incident page>/.exec(JSON.stringify(slack.messages(incidentChannel)[0]?.blocks))?.[1];
    const before = headerLink();

    expect(await command('links revoke', RESPONDER, incidentChannel)).toContain('stopped working');
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${base}${page}`, { headers: { cookie } })).status).toBe(403);
    await slack.waitFor(() => headerLink() !== before, 10_000);
    expect((await fetch(headerLink() ?? '', { redirect: 'manual' })).status).toBe(303);
  });
});
