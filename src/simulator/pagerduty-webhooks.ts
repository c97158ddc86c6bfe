import { randomBytes } from 'node:crypto';

/** What a test or the shell says happened in PagerDuty. */
export interface WebhookScene {
  eventType: string;
  /** `data.incident_key`: the `dedup_key` of the trigger that opened the incident. */
  incidentKey: string;
  /** `agent.summary`: the person, as PagerDuty names them. */
  agentName?: string;
  occurredAt?: Date;
  eventId?: string;
}

/**
 * A Webhooks v3 delivery shaped as PagerDuty sends it for an incident event: `event.id`,
 * `event_type`, `resource_type`, `occurred_at`, `agent` (a user reference) and `data` (the
 * incident, with its `incident_key`).
 */
export function pagerDutyWebhookBody(scene: WebhookScene): string {
  const incidentId = `Q${randomBytes(6).toString('hex').toUpperCase()}`;
  const userId = `P${randomBytes(3).toString('hex').toUpperCase()}`;
  return JSON.stringify({
    event: {
      id: scene.eventId ?? `01${randomBytes(12).toString('hex').toUpperCase()}`,
      event_type: scene.eventType,
      resource_type: 'incident',
      occurred_at: (scene.occurredAt ?? new Date()).toISOString(),
      agent: scene.agentName
        ? {
            html_url: `https://acme.pagerduty.com/users/${userId}`,
            id: userId,
            self: `https://api.pagerduty.com/users/${userId}`,
            summary: scene.agentName,
            type: 'user_reference',
          }
        : null,
      client: null,
      data: {
        id: incidentId,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${incidentId}`,
        html_url: `https://acme.pagerduty.com/incidents/${incidentId}`,
        number: 42,
        status: scene.eventType.replace('incident.', ''),
        incident_key: scene.incidentKey,
        created_at: new Date().toISOString(),
        title: 'Warroom page',
        service: { id: 'PSERVIC', type: 'service_reference', summary: 'Warroom' },
        assignees: [],
        escalation_policy: { id: 'PPOLICY', type: 'escalation_policy_reference', summary: 'Infra' },
        teams: [],
        priority: null,
        urgency: 'high',
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  });
}
