import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import { KeyPrefix } from '../../../src/queue/key-prefix';
import { PeopleDirectory } from '../../../src/slack/people-directory';
import { createWebApiWorkspace } from '../../../src/slack/web-api-workspace';
import { FakeSlack } from '../../support/fake-slack';
import { deleteKeys, REDIS_URL } from '../../support/test-config';
import { BOT_TOKEN } from '../../support/test-warroom';

describe('PeopleDirectory: Slack ids as names, through users.info and usergroups.list', () => {
  let slack: FakeSlack;
  let redis: Redis;
  let prefix: KeyPrefix;
  let people: PeopleDirectory;

  beforeEach(async () => {
    slack = await FakeSlack.start({ botToken: BOT_TOKEN });
    slack.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Ng' });
    slack.addUserGroup({ id: 'S0INFRA', handle: 'infra-oncall', users: ['U0ALICE'] });
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = KeyPrefix.of(`test-people-${randomBytes(4).toString('hex')}`);
    const workspace = createWebApiWorkspace({ token: BOT_TOKEN, slackApiUrl: slack.url });
    people = new PeopleDirectory({ redis, prefix, slack: workspace, lookupTimeoutMs: 1000 });
  });
  afterEach(async () => {
    await deleteKeys(prefix.pattern);
    redis.disconnect();
    await slack.close();
  });

  it('names users and user groups, and asks Slack once while the names are cached in Redis', async () => {
    const nameOf = await people.namesOf(['U0ALICE', 'S0INFRA', 'U0ALICE', 'warroom', 'not an id']);
    expect(['U0ALICE', 'S0INFRA', 'warroom'].map(nameOf)).toEqual(['alice', 'infra-oncall', 'warroom']);
    expect(slack.callsTo('users.info')).toHaveLength(1);
    expect(slack.callsTo('usergroups.list')).toHaveLength(1);
    const again = await people.namesOf(['U0ALICE', 'S0INFRA']);
    expect(again('U0ALICE')).toBe('alice');
    expect(slack.callsTo('users.info')).toHaveLength(1);
    expect(slack.callsTo('usergroups.list')).toHaveLength(1);
    expect(await redis.pttl(prefix.key('people', 'U0ALICE'))).toBeGreaterThan(3_600_000);
  });

  it('falls back to the id when Slack does not know the person or fails, and asks again later', async () => {
    slack.failNext('users.info', { error: 'internal_error' }, 10);
    const nameOf = await people.namesOf(['U0ALICE', 'U0GHOST']);
    expect(nameOf('U0ALICE')).toBe('U0ALICE');
    expect(nameOf('U0GHOST')).toBe('U0GHOST');
    // A failure is remembered for a minute only.
    const ttl = await redis.pttl(prefix.key('people', 'U0ALICE'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('shows every id as itself without Slack', async () => {
    const nameOf = await new PeopleDirectory({ redis, prefix }).namesOf(['U0ALICE']);
    expect(nameOf('U0ALICE')).toBe('U0ALICE');
  });
});
