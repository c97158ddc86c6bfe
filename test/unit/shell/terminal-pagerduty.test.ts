import { shellVariables, TerminalPagerDutyEvents } from '../../../src/shell/terminal-pagerduty';

const KEY = 'e93facc04764012d7bfb002500d5d1a6';

describe('PagerDuty in the shell', () => {
  it('prints what would be sent, without the routing key, and answers accepted', async () => {
    let printed = '';
    const events = new TerminalPagerDutyEvents((text) => {
      printed += text;
    });
    const answer = await events.send({
      routing_key: KEY,
      event_action: 'resolve',
      dedup_key: 'warroom-inc-1-infra',
    });
    expect(answer).toEqual({ outcome: 'accepted' });
    expect(printed).toContain('[PagerDuty ← POST /v2/enqueue: resolve warroom-inc-1-infra]');
    expect(printed).toContain('"routing_key": "(from the environment, not shown)"');
    expect(printed).not.toContain(KEY);
  });

  it('fills in a routing key that is not set, and keeps one that is', () => {
    const contacts = [
      { name: 'a', tier: 'primary' as const, slack: [], pagerduty: { routingKeyEnv: 'A_KEY' } },
      { name: 'b', tier: 'secondary' as const, slack: [], pagerduty: { routingKeyEnv: 'B_KEY' } },
      { name: 'c', tier: 'business' as const, slack: ['U1'] },
    ];
    const variables = shellVariables({ contacts }, { B_KEY: KEY, OTHER: 'x' });
    expect(variables.A_KEY).toBe('shell-prints-instead-of-sending');
    expect(variables.B_KEY).toBe(KEY);
    expect(variables.OTHER).toBe('x');
  });
});
