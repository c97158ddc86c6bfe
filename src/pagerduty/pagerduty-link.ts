import type { PagerDutyEvents } from './pagerduty-events';
import type { RedisPagerDutyStore } from './redis-pagerduty-store';

/** What paging through PagerDuty uses: the record of what was sent, the Events API and the keys. */
export interface PagerDutyLink {
  store: RedisPagerDutyStore;
  events: PagerDutyEvents;
  /** The environment: a contact's routing key is read from the variable it names, when sending. */
  variables: Readonly<Record<string, string | undefined>>;
}
