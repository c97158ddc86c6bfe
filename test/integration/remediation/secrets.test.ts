import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { expectNoLeak, type LeakCheckedBot, startLeakCheckedBot } from '../../support/leak-check';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { SIGNING_SECRET, waitUntilIdle } from '../../support/test-warroom';

const CHANNEL = SLACK_TEST_IDS.channelId;
const DB_PASSWORD = 'Pw-7c1e9a0f2b';
const DSN = `postgres://app:${DB_PASSWORD}@10.20.0.3:5432/app`;
const SECRET_NAME = 'openai-api-key-prod';
/** Every value the service carries that Warroom must neither show, store nor log. */
const HIDDEN_VALUES = [DB_PASSWORD, SECRET_NAME, 'lbl-c0ffee42', 'ann-deadbeef17', 'tpl-5eed1e55'];

/** connector-restored, with a backend whose configuration carries secrets. */
function withSecrets(extra: Partial<Scenario> = {}): Scenario {
  const scenario = loadScenario('connector-restored');
  const backend = scenario.services.backend;
  if (!backend) throw new Error('connector-restored has no backend');
  return {
    ...scenario,
    rollout: { ...scenario.rollout, readyAfterMs: 300 },
    services: {
      ...scenario.services,
      backend: {
        ...backend,
        env: [
          { name: 'DATABASE_URL', value: DSN },
          { name: 'OPENAI_API_KEY', secret: { name: SECRET_NAME, version: '3' } },
        ],
        labels: { 'cost-center': 'lbl-c0ffee42' },
        annotations: { 'deploy.example.com/webhook': 'ann-deadbeef17' },
        templateAnnotations: {
          'autoscaling.knative.dev/maxScale': '10',
          'vault.example.com/role-token': 'tpl-5eed1e55',
        },
      },
    },
    ...extra,
  };
}

describe('a remediation of a service whose configuration carries secrets', () => {
  let watched: LeakCheckedBot;
  beforeAll(async () => {
    watched = await startLeakCheckedBot(withSecrets(), {
      environmentExtra: ['remediation: { approval: none }'],
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  });
  afterAll(() => watched.stop());
  beforeEach(() => {
    watched.simulator.requests.splice(0);
    watched.slack.reset({ workspace: true });
  });

  let trigger = 0;
  const command = async (text: string) => {
    const response = await postSlashCommand(watched.bot.baseUrl, SIGNING_SECRET, {
      text,
      trigger_id: `secrets-${++trigger}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  };
  const message = () => watched.slack.messages(CHANNEL).find((m) => /Restart|restart/.test(m.text));
  const expectNoSecretAnywhere = async () => expectNoLeak(HIDDEN_VALUES, await watched.places());

  it('--dry-run shows env names and annotation keys, and no value, in Slack, Redis or the logs', async () => {
    expect(await command('restart staging backend --dry-run')).toContain('Dry run');
    await watched.slack.waitFor(() => (message()?.text ?? '').includes('Dry run: nothing'), 15_000);
    await waitUntilIdle(watched.bot.warroom);

    const blocks = JSON.stringify(message()?.blocks);
    for (const name of [
      'DATABASE_URL',
      'OPENAI_API_KEY',
      'cost-center',
      'vault.example.com/role-token',
      '(value hidden)',
    ])
      expect(blocks).toContain(name);
    expect(blocks).toContain('autoscaling.knative.dev/maxScale\\": \\"10');
    await expectNoSecretAnywhere();

    // Google was asked to validate the real update, values and all.
    const sent = watched.simulator.requests.filter((r) => r.method === 'PATCH');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.body)).toContain(DB_PASSWORD);
  });

  it('a restart whose revision fails with a credential in its message reports it scrubbed', async () => {
    watched.simulator.setScenario(
      withSecrets({
        rollout: {
          outcome: 'failed',
          readyAfterMs: 300,
          failureMessage: `Container called exit(1): could not connect to ${DSN}?sslmode=require password=${DB_PASSWORD}`,
        },
      }),
    );
    await command('restart staging backend');
    await watched.slack.waitFor(() => /failed/.test(message()?.text ?? ''), 20_000);
    await waitUntilIdle(watched.bot.warroom);

    const text = JSON.stringify(watched.slack.messages(CHANNEL));
    expect(text).toContain('did not become ready');
    expect(text).toContain('postgres://app:[redacted]@10.20.0.3');
    await expectNoSecretAnywhere();
  });
});
