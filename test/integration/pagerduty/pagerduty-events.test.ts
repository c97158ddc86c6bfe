import type { Incident } from '../../../src/incident/incident';
import type { PagerDutyEvent, TriggerEvent } from '../../../src/pagerduty/pagerduty-event';
import type { EventAnswer, PagerDutyEvents } from '../../../src/pagerduty/pagerduty-events';
import { dedupKey, INFRA_KEY, PagerDutyBot, SUPPORT_KEY } from '../../support/pagerduty-bot';
import { SLACK_TEST_IDS } from '../../support/slack-signing';
import { waitUntil } from '../../support/wait-for';

const OPENER = SLACK_TEST_IDS.userId;

/** PagerDuty's client, except that once armed the next trigger "crashes the worker" after it was sent. */
class CrashAfterSend implements PagerDutyEvents {
  armed = false;
  constructor(private readonly inner: PagerDutyEvents) {}
  async send(event: PagerDutyEvent): Promise<EventAnswer> {
    const answer = await this.inner.send(event);
    if (this.armed && event.event_action === 'trigger') {
      this.armed = false;
      throw new Error('the worker died after sending, before recording');
    }
    return answer;
  }
}

describe('paging through PagerDuty (Events API v2, on a loopback stand-in)', () => {
  let pd: PagerDutyBot;
  let events: CrashAfterSend;

  beforeAll(async () => {
    pd = await PagerDutyBot.start({
      ackTimeout: '1h',
      wrapEvents: (http) => {
        events = new CrashAfterSend(http);
        return events;
      },
    });
  });
  afterAll(() => pd.stop());

  const open = (title: string, severity?: string) => pd.open(title, severity);
  const eventsFor = (key: string, action?: string) => pd.eventsFor(key, action);
  const timeline = (incident: Incident) => pd.timeline(incident);
  const pageMessage = (incident: Incident) => pd.pageMessage(incident);
  const command = (text: string, channel?: string, user?: string) => pd.command(text, channel, user);
  it('pages the primary contact in PagerDuty at open and says in the channel how it was reached', async () => {
    const incident = await open('pdopen');
    const key = dedupKey(incident, 'infra-oncall');
    await waitUntil(
      () => pd.pagerDuty.accepted('trigger').some((e) => e.dedup_key === key),
      15_000,
      'a trigger',
    );
    const trigger = eventsFor(key, 'trigger')[0]?.body as unknown as TriggerEvent;
    expect(trigger.routing_key).toBe(INFRA_KEY);
    expect(trigger.payload).toMatchObject({
      summary: '[P1 · staging] pdopen',
      source: 'warroom/staging',
      severity: 'critical',
      timestamp: incident.openedAt,
      custom_details: {
        incident: incident.id,
        phase: incident.phase,
        commander: OPENER,
        latest_verdict: 'none yet',
      },
    });
    expect(trigger.links[0]?.href).toContain(incident.channelId);
    // The secondary contact is not paged yet.
    expect(eventsFor(dedupKey(incident, 'gcp-support'))).toHaveLength(0);

    await pd.slack.waitFor(
      () => pageMessage(incident)?.text.includes('paged in PagerDuty, DM sent') ?? false,
      10_000,
    );
    await waitUntil(
      async () =>
        (await timeline(incident)).some((e) => e.kind === 'pagerduty' && e.data.event === 'triggered'),
      10_000,
      'the trigger on the timeline',
    );
    expect(pd.bot.logs()).not.toContain(INFRA_KEY);
  }, 30_000);

  it('acknowledges the PagerDuty incident when the paged person acknowledges in Slack', async () => {
    const incident = await open('pdack');
    const key = dedupKey(incident, 'infra-oncall');
    await waitUntil(() => eventsFor(key, 'trigger').length > 0, 15_000, 'a trigger');
    const reply = await command('ack', incident.channelId, 'U0ONCALL');
    expect((reply.json as { text: string }).text).toContain('Acknowledged');
    await waitUntil(() => eventsFor(key, 'acknowledge').length === 1, 15_000, 'an acknowledge');
    expect(eventsFor(key, 'acknowledge')[0]?.body).toEqual({
      routing_key: INFRA_KEY,
      event_action: 'acknowledge',
      dedup_key: key,
    });
    expect(pd.pagerDuty.incidents().find((i) => i.dedupKey === key)?.status).toBe('acknowledged');
  }, 30_000);

  it('re-uses the dedup_key when a tier is paged again, and resolves every key at close', async () => {
    const incident = await open('pdclose');
    const infra = dedupKey(incident, 'infra-oncall');
    const support = dedupKey(incident, 'gcp-support');
    await waitUntil(() => eventsFor(infra, 'trigger').length === 1, 15_000, 'the first trigger');
    await command('escalate primary "still down"', incident.channelId);
    await command('escalate secondary', incident.channelId);
    await waitUntil(
      () => eventsFor(infra, 'trigger').length === 2 && eventsFor(support, 'trigger').length === 1,
      15_000,
      'the second primary trigger and the secondary one',
    );
    // The second page of primary reached the PagerDuty incident already open.
    expect(pd.pagerDuty.incidents().filter((i) => i.dedupKey === infra)).toHaveLength(1);
    expect(eventsFor(support, 'trigger')[0]?.body.routing_key).toBe(SUPPORT_KEY);

    await command('close "fixed the connector"', incident.channelId);
    await waitUntil(
      () => eventsFor(infra, 'resolve').length === 1 && eventsFor(support, 'resolve').length === 1,
      15_000,
      'a resolve for both keys',
    );
    const mine = pd.pagerDuty.incidents().filter((i) => [infra, support].includes(i.dedupKey));
    expect(mine.map((i) => i.status)).toEqual(['resolved', 'resolved']);
  }, 40_000);

  it('retries a 429 as a job and triggers once', async () => {
    pd.pagerDuty.answerNext(429);
    const incident = await open('pdthrottled', 'P2');
    const key = dedupKey(incident, 'infra-oncall');
    await waitUntil(
      () => eventsFor(key, 'trigger').some((e) => e.status === 202),
      15_000,
      'the retried trigger',
    );
    expect(eventsFor(key, 'trigger').map((e) => e.status)).toEqual([429, 202]);
    expect(pd.pagerDuty.incidents().filter((i) => i.dedupKey === key)).toEqual([
      expect.objectContaining({ triggers: 1, status: 'triggered' }),
    ]);
    expect(eventsFor(key, 'trigger')[1]?.body.payload).toMatchObject({ severity: 'error' });
    await pd.slack.waitFor(() => pageMessage(incident)?.text.includes('paged in PagerDuty') ?? false, 10_000);
    const triggered = (await timeline(incident)).filter((e) => e.kind === 'pagerduty');
    expect(triggered).toHaveLength(1);
  }, 30_000);

  it('says a 400 in the channel once, without the key, and the DM still goes out', async () => {
    pd.pagerDuty.answerNext(400);
    const incident = await open('pdrefused', 'P3');
    const key = dedupKey(incident, 'infra-oncall');
    await pd.slack.waitFor(
      () =>
        pd.slack.messages(incident.channelId).some((m) => m.text.startsWith('Could not page infra-oncall')),
      15_000,
    );
    const said = pd.slack.messages(incident.channelId).filter((m) => m.text.includes('in PagerDuty:'));
    expect(said).toHaveLength(1);
    expect(said[0]?.text).toContain('HTTP 400: Event object is invalid');
    expect(JSON.stringify(said)).not.toContain(INFRA_KEY);
    await pd.slack.waitFor(
      () => pageMessage(incident)?.text.includes('PagerDuty page failed') ?? false,
      10_000,
    );
    expect(pageMessage(incident)?.text).toContain('DM sent');
    expect(pd.slack.callsTo('conversations.open').some((c) => c.args.users === 'U0ONCALL')).toBe(true);
    expect(eventsFor(key, 'trigger')).toHaveLength(1);
    expect(pd.bot.logs()).toContain('PagerDuty did not take a page');
    expect(pd.bot.logs()).not.toContain(INFRA_KEY);
  }, 30_000);

  it('still opens one PagerDuty incident, under the same dedup_key, when a job dies between send and record', async () => {
    events.armed = true;
    const incident = await open('pdcrash');
    const key = dedupKey(incident, 'infra-oncall');
    await pd.slack.waitFor(() => pageMessage(incident)?.text.includes('paged in PagerDuty') ?? false, 15_000);
    const sent = eventsFor(key, 'trigger');
    expect(sent).toHaveLength(2);
    expect(sent.every((e) => e.status === 202 && e.body.dedup_key === key)).toBe(true);
    expect(pd.pagerDuty.incidents().filter((i) => i.dedupKey === key)).toEqual([
      expect.objectContaining({ triggers: 2, status: 'triggered' }),
    ]);
    const triggered = (await timeline(incident)).filter((e) => e.kind === 'pagerduty');
    expect(triggered).toHaveLength(1);
    expect(triggered[0]?.data).toMatchObject({ event: 'triggered', dedupKey: key });
  }, 30_000);
});
