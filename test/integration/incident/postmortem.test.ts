import IORedis from 'ioredis';
import { incidentKeys } from '../../../src/incident/incident-keys';
import { INCIDENT_QUEUE } from '../../../src/incident/incident-queue';
import { RETRY_AFTER_CLOSE_MS } from '../../../src/postmortem/postmortem-jobs';
import { POSTMORTEM_SECTIONS } from '../../../src/postmortem/render-postmortem';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { BotQueues } from '../../support/bot-queues';
import { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand } from '../../support/slack-signing';
import { REDIS_URL } from '../../support/test-config';
import { BOT_TOKEN, SIGNING_SECRET, startTestWarroom, waitUntilIdle } from '../../support/test-warroom';

const FOLDER = 'warroom-postmortems';
const CONFIG = `postmortem: { driveFolderId: ${FOLDER} }`;

/** A bot against FakeSlack and the simulator (real sockets both), with postmortem drafts on. */
async function startBot(scenario = loadScenario('healthy')) {
  const simulator = await CloudSimulator.start({ scenario });
  const slack = await FakeSlack.start({ botToken: BOT_TOKEN });
  slack.addUser({ id: 'U0ALICE', name: 'alice' });
  const bot = await startTestWarroom({
    mode: 'http',
    slack,
    configExtra: CONFIG,
    env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
  });
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const queues = new BotQueues(bot.testConfig.prefix);
  let seq = 0;
  const command = async (text: string, channel = 'C0OPS', user = 'U0OPENER') => {
    const result = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      channel_id: channel,
      user_id: user,
      trigger_id: `t-${++seq}-${Date.now()}`,
    });
    return (result.json as { text: string }).text;
  };
  const openIncident = async (title: string) => {
    await command(`open staging ${title} --sev P1`);
    await slack.waitFor(() => slack.callsTo('pins.add').length > 0, 15_000);
    const channel = slack
      .callsTo('conversations.create')
      .map((c) => slack.channel(String(c.args.name))?.id)[0];
    const incident = await bot.warroom.commands.services.incidents.forChannel(String(channel));
    if (!incident) throw new Error('no incident');
    return incident;
  };
  return {
    simulator,
    slack,
    bot,
    redis,
    queues,
    command,
    openIncident,
    async stop() {
      await bot.stop();
      await queues.close();
      redis.disconnect();
      await slack.close();
      await simulator.close();
    },
  };
}
type Running = Awaited<ReturnType<typeof startBot>>;

const recapOf = (run: Running, channel: string) =>
  run.slack.messages(channel).find((m) => m.text.startsWith('Recap'));

describe('the postmortem draft in Google Docs', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startBot();
  });
  afterAll(() => run.stop());

  it('is created once at close with every section, survives retried closes, and regenerates in place', async () => {
    const { simulator, slack, bot, command } = run;
    const incident = await run.openIncident('Every endpoint answers 503');
    const channel = incident.channelId;
    await command('status Connector <b>recreated</b> & services restarting', channel);
    await command('followup alert on connector instances at max <@U0ALICE> --due 7d', channel);
    await command('close Connector recreated; 30 minutes without errors', channel);
    await slack.waitFor(() => recapOf(run, channel) !== undefined, 15_000);
    await waitUntilIdle(bot.warroom);

    const [document, ...others] = simulator.driveFiles();
    expect(others).toHaveLength(0);
    expect(document).toMatchObject({ parents: [FOLDER], mimeType: 'application/vnd.google-apps.document' });
    expect(document?.name).toBe(`Postmortem ${incident.id}: Every endpoint answers 503`);
    const html = document?.content ?? '';
    const positions = POSTMORTEM_SECTIONS.map((title) => html.indexOf(`<h2>${title}</h2>`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('Connector &lt;b&gt;recreated&lt;/b&gt; &amp; services restarting');
    expect(html).not.toContain('<b>recreated</b>');
    expect(html).toContain('alert on connector instances at max');
    // People by name (users.info), an unknown one by id.
    expect(html).toContain('<td>@alice</td>');
    expect(html).not.toContain('@U0ALICE');
    expect(html).toContain('<th>Commander</th><td>@U0OPENER</td>');
    expect(html).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    // The recap links to it.
    expect(JSON.stringify(recapOf(run, channel)?.blocks)).toContain(`${document?.id}/edit`);

    // The close job runs again (a redelivery), then again as if the process had died after Drive
    // created the document but before Warroom recorded it: still one document.
    const queue = run.queues.queue(INCIDENT_QUEUE);
    await queue.add('close', { incidentId: incident.id }, { jobId: `${incident.id}.close-again` });
    await waitUntilIdle(bot.warroom);
    const key = incidentKeys(KeyPrefix.of(bot.testConfig.prefix)).postmortem(incident.id);
    await run.redis.multi().hdel(key, 'fileId', 'link').hset(key, 'pending', '1').exec();
    await queue.add('close', { incidentId: incident.id }, { jobId: `${incident.id}.close-after-crash` });
    await waitUntilIdle(bot.warroom);
    expect(simulator.driveFiles()).toHaveLength(1);
    expect(await run.redis.hget(key, 'fileId')).toBe(document?.id);

    // A follow-up added after the close, then /incident postmortem: same document, new contents.
    await command('followup write a runbook for the connector', channel);
    const reply = await command('postmortem', channel);
    expect(reply).toContain(`${document?.id}/edit`);
    await waitUntilIdle(bot.warroom);
    const [regenerated, ...more] = simulator.driveFiles();
    expect(more).toHaveLength(0);
    expect(regenerated?.id).toBe(document?.id);
    expect(regenerated?.version).toBe(2);
    expect(regenerated?.content).toContain('write a runbook for the connector');
    const patch = simulator.requests.filter((r) => r.method === 'PATCH');
    expect(patch.map((r) => r.path)).toEqual([`/upload/drive/v3/files/${document?.id}`]);
    expect(slack.messages(channel).some((m) => m.text.startsWith('Postmortem draft regenerated'))).toBe(true);
  }, 60_000);
});

describe('a postmortem draft Drive refuses', () => {
  let run: Running;
  beforeAll(async () => {
    const scenario = loadScenario('healthy');
    run = await startBot({
      ...scenario,
      faults: { ...scenario.faults, permissionDenied: ['drive.files.create'] },
    });
  });
  afterAll(() => run.stop());

  it('is said in the channel with the fix, and the close completes with its recap', async () => {
    const { slack, bot, command } = run;
    const incident = await run.openIncident('Drive says no');
    await command('close fixed', incident.channelId);
    await slack.waitFor(() => recapOf(run, incident.channelId) !== undefined, 15_000);
    await waitUntilIdle(bot.warroom);
    const warning = slack
      .messages(incident.channelId)
      .find((m) => m.text.startsWith('Postmortem draft not written'));
    expect(warning?.text).toContain('(403)');
    expect(warning?.text).toContain('share the folder with Warroom’s service account as an *editor*');
    expect(warning?.text).toContain('/incident postmortem');
    expect((await bot.warroom.commands.services.incidents.get(incident.id))?.status).toBe('closed');
    expect(run.simulator.driveFiles()).toHaveLength(0);
  }, 60_000);
});

describe('a postmortem draft Drive is too busy to take at close', () => {
  let run: Running;
  beforeAll(async () => {
    const scenario = loadScenario('healthy');
    run = await startBot({
      ...scenario,
      faults: { ...scenario.faults, errors: [{ method: 'drive.files.create', status: 503, times: 1 }] },
    });
  });
  afterAll(() => run.stop());

  it('is tried once more a minute later, and the recap then links to it', async () => {
    const { slack, bot, command, simulator } = run;
    const incident = await run.openIncident('Drive is busy');
    await command('close fixed', incident.channelId);
    await slack.waitFor(() => recapOf(run, incident.channelId) !== undefined, 15_000);
    await waitUntilIdle(bot.warroom);
    const said = () => slack.messages(incident.channelId).map((m) => m.text);
    expect(said().find((t) => t.startsWith('Postmortem draft not written'))).toContain(
      'tries again in a minute',
    );
    expect(simulator.driveFiles()).toHaveLength(0);

    expect(
      await bot.warroom.runTimersDueBy(new Date(Date.now() + RETRY_AFTER_CLOSE_MS + 1000)),
    ).toBeGreaterThan(0);
    await waitUntilIdle(bot.warroom);
    const [document, ...others] = simulator.driveFiles();
    expect(others).toHaveLength(0);
    expect(said().some((t) => t.startsWith('Postmortem draft created'))).toBe(true);
    await slack.waitFor(
      () => JSON.stringify(recapOf(run, incident.channelId)?.blocks).includes(`${document?.id}/edit`),
      10_000,
    );
  }, 60_000);
});
