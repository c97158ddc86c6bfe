import { OffsetClock } from '../../../src/incident/clock';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack } from '../../support/fake-slack';
import { postInteraction, postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  startTestWarroom,
  type TestWarroom,
  waitUntilIdle,
} from '../../support/test-warroom';

const CHANNEL = SLACK_TEST_IDS.channelId;
const RESPONDER = 'U0RESP';
const APPROVER = 'U0APPROVER';
const APPROVER2 = 'U0APPROVER2';
const ACCESS = `access: { responders: [${RESPONDER}, ${APPROVER}], approvers: [${APPROVER}, ${APPROVER2}, ${RESPONDER}] }`;

/** The outage after the connector was recreated: a restart brings the services back. */
function restored(readyAfterMs = 300, extra: Record<string, unknown> = {}) {
  const scenario = loadScenario('connector-restored');
  return { ...scenario, rollout: { ...scenario.rollout, readyAfterMs }, ...extra };
}

describe('/incident restart and rollback, guarded', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  const clock = new OffsetClock();

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: restored() });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      clock,
      configExtra: ACCESS,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });
  beforeEach(() => {
    simulator.setScenario(restored());
    simulator.requests.splice(0);
    slack.reset({ workspace: true });
  });

  let trigger = 0;
  const command = async (text: string, user = RESPONDER) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      user_id: user,
      trigger_id: `t-${++trigger}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  };
  const click = (action: 'remediation_approve' | 'remediation_deny', requestId: string, user: string) => {
    const tag = `${action}-${user}-${++trigger}`;
    return postInteraction(bot.baseUrl, SIGNING_SECRET, {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: SLACK_TEST_IDS.teamId },
      team: { id: SLACK_TEST_IDS.teamId, domain: 'warroom-test' },
      api_app_id: SLACK_TEST_IDS.appId,
      token: 'legacy',
      container: { type: 'message', channel_id: CHANNEL, message_ts: '1.1' },
      channel: { id: CHANNEL, name: 'ops' },
      trigger_id: tag,
      response_url: slack.responseUrl(tag),
      actions: [
        {
          type: 'button',
          action_id: action,
          block_id: `remediation:${requestId}`,
          value: requestId,
          action_ts: '1.2',
        },
      ],
    }).then(async (r) => {
      expect(r.status).toBe(200);
      await slack.waitFor(() => slack.responsesTo(tag).length > 0, 10_000);
      return JSON.stringify(slack.responsesTo(tag)[0]?.body);
    });
  };
  const requestIdIn = (text: string) => /\b(r[0-9a-f]{10})\b/.exec(text)?.[1] ?? '';
  const patches = (validateOnly = false) =>
    simulator.requests.filter(
      (r) => r.method === 'PATCH' && r.query.includes('validateOnly=true') === validateOnly,
    );
  const message = () => slack.messages(CHANNEL).find((m) => /Restart|Rollback|restart|rollback/.test(m.text));
  const idle = () => waitUntilIdle(bot.warroom);

  it('waits for a second person, refuses the requester and non-approvers, and restarts exactly once when two approvers click at once', async () => {
    const reply = await command('restart staging backend --reason connector recreated');
    expect(reply).toContain("needs a second person's approval");
    const id = requestIdIn(reply);
    expect(id).not.toBe('');
    await slack.waitFor(
      () => JSON.stringify(message()?.blocks ?? '').includes('remediation_approve'),
      10_000,
    );
    expect(patches()).toHaveLength(0);

    expect(await click('remediation_approve', id, RESPONDER)).toContain('a second person must approve');
    expect(await click('remediation_approve', id, 'U0STRANGER')).toContain(
      'Only approvers may use `/incident approve`',
    );
    const [a, b] = await Promise.all([
      click('remediation_approve', id, APPROVER),
      click('remediation_approve', id, APPROVER2),
    ]);
    expect([a, b].filter((t) => t.includes('Approved.'))).toHaveLength(1);
    expect([a, b].filter((t) => t.includes('already decided'))).toHaveLength(1);

    await slack.waitFor(() => (message()?.text ?? '').includes('ready and serving'), 20_000);
    await idle();
    expect(patches()).toHaveLength(1);
    const body = JSON.stringify(simulator.requests.find((r) => r.method === 'PATCH')?.body);
    expect(body).toContain(`"warroom.dev/request":"${id}"`);
    expect(body).toContain('"etag"');
    expect(message()?.text).toMatch(/backend-\d{5}-[a-z]{3} is ready and serving \(it replaces backend-/);
    // One message for the request, updated in place.
    expect(slack.messages(CHANNEL).filter((m) => m.text.includes(id))).toHaveLength(1);
    // A late click changes nothing.
    expect(await click('remediation_approve', id, APPROVER2)).toContain('already decided: succeeded');
    expect(patches()).toHaveLength(1);
  });

  it('refuses a non-responder and a service that is not configured, queueing nothing', async () => {
    expect(await command('restart staging backend', 'U0STRANGER')).toContain(
      'Only responders may use `/incident restart`',
    );
    expect(await command('restart staging payments')).toContain('not a configured service of staging');
    expect(await command('restart staging ../../backend')).toContain('not a configured service');
    await idle();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(simulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('joins a restart already in flight instead of asking twice', async () => {
    const first = await command('restart staging auth');
    const second = await command('restart staging auth');
    expect(second).toContain('already in flight');
    expect(second).toContain(requestIdIn(first));
    expect(await click('remediation_deny', requestIdIn(first), APPROVER)).toContain('Denied');
    await slack.waitFor(() => (message()?.text ?? '').includes('denied'), 10_000);
    await idle();
    expect(simulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    // Denied frees the service for a new request.
    expect(await command('restart staging auth')).toContain('approval');
    await idle();
  });

  it('--dry-run shows the exact update, validated by Google, and changes nothing', async () => {
    const reply = await command('restart staging ai --dry-run');
    expect(reply).toContain('Dry run');
    await slack.waitFor(() => (message()?.text ?? '').includes('Dry run: nothing'), 15_000);
    await idle();
    const blocks = JSON.stringify(message()?.blocks);
    expect(blocks).toContain('warroom.dev/request');
    expect(blocks).toContain('etag');
    expect(patches(true)).toHaveLength(1);
    expect(patches(false)).toHaveLength(0);
  });

  it('says so when the new revision does not become ready, and that traffic stayed where it was', async () => {
    const outage = loadScenario('staging-outage');
    simulator.setScenario({ ...outage, rollout: { ...outage.rollout, readyAfterMs: 300 } });
    const id = requestIdIn(await command('restart staging backend'));
    expect(await click('remediation_approve', id, APPROVER)).toContain('Approved.');
    await slack.waitFor(() => (message()?.text ?? '').includes('failed'), 20_000);
    await idle();
    const text = message()?.text ?? '';
    expect(text).toContain('did not become ready');
    expect(text).toContain('Traffic stayed on backend-00042-kav');
    expect(text).toContain('/incident rollback staging backend');
    expect(patches()).toHaveLength(1);
  });

  it('re-reads and retries once when the etag changed (409), then restarts', async () => {
    const base = restored();
    simulator.setScenario({
      ...base,
      faults: { ...base.faults, errors: [{ method: 'run.services.update', status: 409, times: 1 }] },
    });
    const id = requestIdIn(await command('restart staging backend'));
    await click('remediation_approve', id, APPROVER);
    await slack.waitFor(() => (message()?.text ?? '').includes('ready and serving'), 20_000);
    await idle();
    expect(patches()).toHaveLength(2);
    expect(slack.messages(CHANNEL).some((m) => JSON.stringify(m.blocks).includes('reading it again'))).toBe(
      true,
    );
  });

  it('rolls back to the last ready revision before the current one, with 100% of traffic in the body', async () => {
    const outage = loadScenario('staging-outage');
    simulator.setScenario({ ...outage, rollout: { ...outage.rollout, readyAfterMs: 200 } });
    const id = requestIdIn(await command('rollback staging backend'));
    await click('remediation_approve', id, APPROVER);
    await slack.waitFor(() => /100% of traffic is on backend-00041-wuz/.test(message()?.text ?? ''), 20_000);
    await idle();
    expect(patches()).toHaveLength(1);
    const body = simulator.requests.find((r) => r.method === 'PATCH')?.body as { traffic?: unknown[] };
    expect(body.traffic).toEqual([expect.objectContaining({ revision: 'backend-00041-wuz', percent: 100 })]);
  });

  it('refuses to approve a request after 15 minutes: it has expired, nothing changes', async () => {
    const id = requestIdIn(await command('restart staging backend'));
    clock.advance(16 * 60_000);
    try {
      expect(await click('remediation_approve', id, APPROVER)).toContain('expired');
      await slack.waitFor(() => (message()?.text ?? '').includes('expired'), 10_000);
      await bot.warroom.runTimersDueBy(clock.now());
      await idle();
      expect(patches()).toHaveLength(0);
      expect(JSON.stringify(message()?.blocks)).not.toContain('remediation_approve');
    } finally {
      clock.advance(-16 * 60_000);
    }
  });
});

describe('remediation in an incident channel, with access through user groups', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: restored() });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ONCALL', name: 'oncall' });
    slack.addUser({ id: 'U0LEAD', name: 'lead' });
    slack.addUserGroup({ id: 'S0ONCALL', handle: 'oncall', users: ['U0ONCALL'] });
    slack.addUserGroup({ id: 'S0LEADS', handle: 'leads', users: ['U0LEAD'] });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: 'access: { responders: [S0ONCALL], approvers: [S0LEADS] }',
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  const command = async (text: string, user: string, channel: string = CHANNEL) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      user_id: user,
      channel_id: channel,
      trigger_id: `${text}-${user}-${Date.now()}`,
    });
    const json = response.json as { text: string; blocks?: unknown };
    return `${json.text} ${JSON.stringify(json.blocks ?? [])}`;
  };

  it('checks membership in Slack, records request, refusal, approval and result on the timeline', async () => {
    expect(await command('open staging "Every staging endpoint answers 503" --sev P1', 'U0ONCALL')).toContain(
      'Opening',
    );
    await slack.waitFor(() => slack.callsTo('conversations.create').length === 1, 15_000);
    const created = slack.callsTo('conversations.create')[0];
    const incidentChannel = String(slack.channel(String(created?.args.name))?.id);

    expect(await command('restart staging backend', 'U0LEAD', incidentChannel)).toContain('Only responders');
    const asked = await command(
      'restart staging backend --reason connector recreated',
      'U0ONCALL',
      incidentChannel,
    );
    const id = /\b(r[0-9a-f]{10})\b/.exec(asked)?.[1] ?? '';
    expect(asked).toContain('approval');
    // The requester is a responder, not an approver: refused by the subcommand's declared access.
    expect(await command(`approve ${id}`, 'U0ONCALL', incidentChannel)).toContain(
      'Only approvers may use `/incident approve`',
    );
    expect(await command(`approve ${id}`, 'U0LEAD', incidentChannel)).toContain('Approved.');
    await slack.waitFor(
      () => slack.messages(incidentChannel).some((m) => m.text.includes('ready and serving')),
      20_000,
    );
    expect(slack.callsTo('usergroups.users.list').length).toBeGreaterThan(0);

    const timeline = await command('timeline', 'U0ONCALL', incidentChannel);
    expect(timeline).toContain('/incident restart staging backend — refused: not listed');
    expect(timeline).toContain('restart of backend (staging) requested: connector recreated');
    expect(timeline).toContain(`/incident approve ${id} — refused: not listed`);
    expect(timeline).toContain('restart of backend (staging) approved by <@U0LEAD>');
    expect(timeline).toMatch(/restart of backend \(staging\): backend-\d{5}-[a-z]{3} is ready and serving/);
  });
});
