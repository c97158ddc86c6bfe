/** What Warroom reads of a PagerDuty Webhooks v3 delivery. */
export type WebhookEvent =
  | {
      kind: 'acknowledged' | 'resolved';
      eventId: string;
      /** `event.data.incident_key`: the `dedup_key` of the trigger that opened the PagerDuty incident. */
      incidentKey?: string;
      /** `event.agent.summary`: who did it, as PagerDuty names them. */
      agentName?: string;
    }
  | { kind: 'other'; eventId: string; eventType: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value !== '' && value.length <= max ? value : undefined;

/**
 * `{"event": {"id", "event_type", "resource_type", "occurred_at", "agent", "data": {…}}}` read
 * strictly where Warroom acts on it (an `event` with an id and a type), leniently elsewhere: an
 * agent or an incident key that is not text is taken as absent. `undefined` when the body is not a
 * v3 delivery at all.
 */
export function readWebhookEvent(body: unknown): WebhookEvent | undefined {
  if (!isRecord(body) || !isRecord(body.event)) return undefined;
  const { event } = body;
  const eventId = text(event.id, 200);
  const eventType = text(event.event_type, 200);
  if (!eventId || !eventType) return undefined;
  if (eventType !== 'incident.acknowledged' && eventType !== 'incident.resolved')
    return { kind: 'other', eventId, eventType };
  const data = isRecord(event.data) ? event.data : {};
  const agent = isRecord(event.agent) ? event.agent : {};
  const incidentKey = text(data.incident_key, 255);
  const agentName = text(agent.summary, 200);
  return {
    kind: eventType === 'incident.acknowledged' ? 'acknowledged' : 'resolved',
    eventId,
    ...(incidentKey ? { incidentKey } : {}),
    ...(agentName ? { agentName } : {}),
  };
}
