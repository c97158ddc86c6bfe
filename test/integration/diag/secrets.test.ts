import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { expectNoLeak, type LeakCheckedBot, startLeakCheckedBot } from '../../support/leak-check';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { SIGNING_SECRET, waitUntilIdle } from '../../support/test-warroom';

const CHANNEL = SLACK_TEST_IDS.channelId;
const PASSWORD = 'Pw-4be1c0de77';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiYWNrZW5kIn0.c2lnbmF0dXJlLXRlc3Q';
const ACCESS_TOKEN = 'ya29.a0AfH6SMBdiagSecret01';

/** The staging outage, with applications that log their credentials as they fail. */
function leakyOutage(): Scenario {
  const outage = loadScenario('staging-outage');
  const backend = outage.services.backend;
  if (!backend) throw new Error('staging-outage has no backend');
  const condition = backend.conditions[0];
  return {
    ...outage,
    services: {
      ...outage.services,
      backend: {
        ...backend,
        conditions: [
          {
            ...condition,
            type: 'Ready',
            state: 'CONDITION_FAILED',
            message: `Container called exit(3): could not connect to postgres://app:${PASSWORD}@10.20.0.3:5432/app`,
          },
          ...backend.conditions.slice(1),
        ],
      },
    },
    logs: [
      ...outage.logs,
      {
        service: 'backend',
        severity: 'ERROR',
        count: 40,
        log: 'stderr',
        withinMinutes: 20,
        endedMinutesAgo: 0,
        textPayload: `Socket connection failed: host=10.20.0.3 user=app password=${PASSWORD} dbname=app`,
      },
      {
        service: 'ai',
        severity: 'ERROR',
        count: 60,
        log: 'stderr',
        withinMinutes: 20,
        endedMinutesAgo: 0,
        jsonPayload: {
          message: `upstream refused Authorization: Bearer ${JWT} with access_token=${ACCESS_TOKEN}`,
          request: { headers: { authorization: `Bearer ${JWT}` } },
        },
      },
    ],
  };
}

describe('/incident diag on services whose logs and conditions carry credentials', () => {
  let watched: LeakCheckedBot;
  beforeAll(async () => {
    watched = await startLeakCheckedBot(leakyOutage());
  });
  afterAll(() => watched.stop());

  it('shows the failures, and no password or token, in Slack, Redis or the logs', async () => {
    const { bot, slack } = watched;
    const ack = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text: 'diag staging',
      trigger_id: 'diag-secrets',
    });
    expect(ack.status).toBe(200);
    await slack.waitFor(() => slack.messages(CHANNEL).some((m) => m.text.includes('verdict:')), 25_000);
    await waitUntilIdle(bot.warroom);

    const places = await watched.places();
    expect(places.Slack).toContain('exit code 3');
    expect(places.Slack).toContain('password=[redacted]');
    expect(places.Slack).toContain('Bearer [redacted]');
    expectNoLeak([PASSWORD, JWT, ACCESS_TOKEN], places);
  });
});
