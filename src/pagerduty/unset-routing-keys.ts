import type { Config } from '../config/schema';

/**
 * A warning, worded as the fix, when contacts are linked to PagerDuty through variables that are
 * not set: their pages would go by Slack only (and say so in the channel). Undefined when all are set.
 */
export function unsetRoutingKeysWarning(
  config: Pick<Config, 'contacts'>,
  variables: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const unset = config.contacts.filter((c) => c.pagerduty && !variables[c.pagerduty.routingKeyEnv]?.trim());
  if (unset.length === 0) return undefined;
  const list = unset.map((c) => `${c.pagerduty?.routingKeyEnv} (contacts.${c.name})`).join(', ');
  return `PagerDuty routing keys are not set: ${list}. Those contacts' pages reach Slack only. To resolve, set each variable to the Integration Key of the PagerDuty service's Events API v2 integration.`;
}
