import IORedis from 'ioredis';
import { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { FakeSlack } from '../../support/fake-slack';
import { RedisClusterServers } from '../../support/redis-cluster';
import { REDIS_URL } from '../../support/test-config';
import { BOT_TOKEN, startTestWarroom, type TestWarroom } from '../../support/test-warroom';
import { APPROVER, LIFE_CONFIG, liveAnIncident, ONCALL } from './incident-life';

/** REDIS_CLUSTER_NODES: every connection Warroom opens is an ioredis Cluster on three masters. */
describe('Warroom on a three-master Redis Cluster', () => {
  let cluster: RedisClusterServers;
  let simulator: CloudSimulator;
  let slack: FakeSlack;
  let bot: TestWarroom;

  beforeAll(async () => {
    cluster = await RedisClusterServers.start(3);
    const scenario = loadScenario('connector-restored');
    simulator = await CloudSimulator.start({
      scenario: { ...scenario, rollout: { ...scenario.rollout, readyAfterMs: 200 } },
    });
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    for (const id of [ONCALL, APPROVER]) slack.addUser({ id, name: id.toLowerCase() });
    bot = await startTestWarroom({
      mode: 'http',
      slack,
      configExtra: LIFE_CONFIG,
      env: {
        REDIS_URL: '',
        REDIS_CLUSTER_NODES: cluster.nodesVariable,
        GCP_EMULATOR_HOST: simulator.emulatorHost,
      },
      remediationTiming: { pollIntervalMs: 100, readyTimeoutMs: 20_000 },
    });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    await simulator?.close();
    await cluster?.stop();
  });

  it('lives a whole incident: open, page, ack, diag with its verdict, an approved restart, close with the recap', async () => {
    await liveAnIncident({ bot, slack, simulator });
  }, 120_000);

  it('kept every key in the cluster, in the one slot of its prefix, and none on the single Redis', async () => {
    const prefix = `{${bot.testConfig.prefix}}`;
    const keys: string[] = [];
    for (const server of cluster.servers) {
      const node = new IORedis(server.port, '127.0.0.1');
      keys.push(...(await node.keys(`${prefix}*`)));
      node.disconnect();
    }
    expect(keys.length).toBeGreaterThan(20);
    const probe = new IORedis(cluster.servers[0]?.port ?? 0, '127.0.0.1');
    const slots = new Set(await Promise.all(keys.map((key) => probe.cluster('KEYSLOT', key))));
    probe.disconnect();
    expect(slots.size).toBe(1);
    const single = new IORedis(REDIS_URL);
    expect(await single.keys(`${prefix}*`)).toEqual([]);
    single.disconnect();
  });
});
