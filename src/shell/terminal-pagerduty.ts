import type { Config } from '../config/schema';
import type { PagerDutyEvent } from '../pagerduty/pagerduty-event';
import type { EventAnswer, PagerDutyEvents } from '../pagerduty/pagerduty-events';

/**
 * PagerDuty for the shell: every Events API v2 event is printed as it would be sent (the routing
 * key left out) and answered 202, so a page, an ack and a close show what PagerDuty would get.
 */
export class TerminalPagerDutyEvents implements PagerDutyEvents {
  constructor(private readonly write: (text: string) => void) {}

  async send(event: PagerDutyEvent): Promise<EventAnswer> {
    const { routing_key: _key, ...shown } = event;
    const body = JSON.stringify({ routing_key: '(from the environment, not shown)', ...shown }, null, 2)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    this.write(`[PagerDuty ← POST /v2/enqueue: ${event.event_action} ${event.dedup_key}]\n${body}\n`);
    return { outcome: 'accepted' };
  }
}

/**
 * The variables the shell runs with: a contact's routing key that is not set gets a stand-in
 * value, so its pages reach the printer above instead of failing for the missing key. Nothing is
 * sent to PagerDuty from the shell.
 */
export function shellVariables(
  config: Pick<Config, 'contacts'>,
  variables: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const filled: Record<string, string | undefined> = { ...variables };
  for (const contact of config.contacts) {
    const name = contact.pagerduty?.routingKeyEnv;
    if (name && !filled[name]?.trim()) filled[name] = 'shell-prints-instead-of-sending';
  }
  return filled;
}
