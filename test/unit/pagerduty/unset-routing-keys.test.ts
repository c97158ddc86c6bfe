import { unsetRoutingKeysWarning } from '../../../src/pagerduty/unset-routing-keys';

const contacts = [
  {
    name: 'infra-oncall',
    tier: 'primary' as const,
    slack: ['S0INFRA'],
    pagerduty: { routingKeyEnv: 'INFRA_PD_ROUTING_KEY' },
  },
  {
    name: 'gcp-support',
    tier: 'secondary' as const,
    slack: [],
    pagerduty: { routingKeyEnv: 'SUPPORT_PD_ROUTING_KEY' },
  },
  { name: 'leadership', tier: 'executive' as const, slack: ['U0VP'] },
];

describe('unsetRoutingKeysWarning', () => {
  it('is silent when every linked contact has its key', () => {
    expect(
      unsetRoutingKeysWarning({ contacts }, { INFRA_PD_ROUTING_KEY: 'k1', SUPPORT_PD_ROUTING_KEY: 'k2' }),
    ).toBeUndefined();
  });

  it('names each variable not set (or blank) and its contact, and how to fix it', () => {
    const warning = unsetRoutingKeysWarning(
      { contacts },
      { INFRA_PD_ROUTING_KEY: 'k1', SUPPORT_PD_ROUTING_KEY: '  ' },
    );
    expect(warning).toContain('SUPPORT_PD_ROUTING_KEY (contacts.gcp-support)');
    expect(warning).not.toContain('INFRA_PD_ROUTING_KEY');
    expect(warning).toContain('To resolve, set each variable');
  });
});
