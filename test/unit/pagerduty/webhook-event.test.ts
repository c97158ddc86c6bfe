import { readWebhookEvent } from '../../../src/pagerduty/webhook-event';
import { pagerDutyWebhookBody } from '../../../src/simulator/pagerduty-webhooks';

describe('readWebhookEvent', () => {
  it('reads an acknowledgement as PagerDuty delivers it: who and which incident key', () => {
    const body = JSON.parse(
      pagerDutyWebhookBody({
        eventType: 'incident.acknowledged',
        incidentKey: 'warroom-inc-1-infra',
        agentName: 'Jane Doe',
        eventId: '01DEF',
      }),
    );
    expect(readWebhookEvent(body)).toEqual({
      kind: 'acknowledged',
      eventId: '01DEF',
      incidentKey: 'warroom-inc-1-infra',
      agentName: 'Jane Doe',
    });
  });

  it('reads a resolution without an agent (PagerDuty resolved it on its own)', () => {
    const body = JSON.parse(
      pagerDutyWebhookBody({ eventType: 'incident.resolved', incidentKey: 'k', eventId: 'E1' }),
    );
    expect(readWebhookEvent(body)).toEqual({ kind: 'resolved', eventId: 'E1', incidentKey: 'k' });
  });

  it.each(['incident.triggered', 'incident.annotated', 'service.updated', 'pagey.ping'])(
    'passes over %s',
    (eventType) => {
      const body = JSON.parse(pagerDutyWebhookBody({ eventType, incidentKey: 'k', eventId: 'E2' }));
      expect(readWebhookEvent(body)).toEqual({ kind: 'other', eventId: 'E2', eventType });
    },
  );

  it.each([
    ['null', null],
    ['an array', []],
    ['no event', { messages: [] }],
    ['an event without an id', { event: { event_type: 'incident.acknowledged' } }],
    ['an event without a type', { event: { id: 'E1' } }],
    ['a numeric type', { event: { id: 'E1', event_type: 7 } }],
  ])('refuses %s', (_, body) => {
    expect(readWebhookEvent(body)).toBeUndefined();
  });

  it('takes an agent or a key that is not text as absent', () => {
    const body = {
      event: {
        id: 'E1',
        event_type: 'incident.acknowledged',
        agent: { summary: 3 },
        data: { incident_key: {} },
      },
    };
    expect(readWebhookEvent(body)).toEqual({ kind: 'acknowledged', eventId: 'E1' });
  });
});
