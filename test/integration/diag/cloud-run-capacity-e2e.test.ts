import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { FakeSlack } from '../../support/fake-slack';
import { APP_TOKEN, BOT_TOKEN, startTestWarroom, type TestWarroom } from '../../support/test-warroom';
import { diagnoseStaging } from './diagnose-staging';

const NEXT_STEP =
  "backend ran 20 of max 20 instances; 134 requests rejected with 'no available instance' in 30 min: raise `--max-instances` (`gcloud run services update backend --max-instances=40 --region=us-central1`) or concurrency";

describe('/incident diag staging when backend runs out of instances', () => {
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;
  const capacity = loadScenario('cloud-run-capacity');

  beforeAll(async () => {
    simulator = await CloudSimulator.start({ scenario: capacity });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      env: { GCP_EMULATOR_HOST: simulator.emulatorHost },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await simulator.close();
  });

  const diagnose = (scenario: Scenario, trigger: string) =>
    diagnoseStaging({ bot, slack, simulator }, scenario, trigger);

  it('ends on cloud-run-capacity with the figures and the command in the next step', async () => {
    const { text, blocks } = await diagnose(capacity, 'capacity-1');
    expect(text).toContain('verdict: cloud-run-capacity ');
    expect(blocks).toContain('verdict: `cloud-run-capacity`');
    expect(blocks).toContain('backend hit its Cloud Run instance limit');
    expect(blocks).toContain(`*Next step:* ${NEXT_STEP}`);
    expect(blocks).toContain('134 requests rejected (no available instance), backend at max 20 instances');
  });

  it('still names the instance limit from the request log alone when Monitoring is denied', async () => {
    const denied: Scenario = {
      ...capacity,
      faults: { ...capacity.faults, permissionDenied: ['monitoring.timeSeries.list'] },
    };
    const { text, blocks } = await diagnose(denied, 'capacity-2');
    expect(text).toContain('verdict: cloud-run-capacity ');
    expect(blocks).toContain("backend; 134 requests rejected with 'no available instance' in 30 min: raise");
    expect(blocks).toContain('gcloud run services update backend --max-instances=40');
  });

  it('blames Cloud SQL, not the instance limit, when the database is down too', async () => {
    const sqlDown: Scenario = {
      ...capacity,
      sql: { ...(capacity.sql as NonNullable<Scenario['sql']>), state: 'SUSPENDED' },
    };
    const { text } = await diagnose(sqlDown, 'capacity-3');
    expect(text).toContain('verdict: cloud-sql-unavailable ');
  });
});
