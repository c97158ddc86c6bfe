import type { Incident } from '../../../src/incident/incident';
import { INCIDENT_QUEUE } from '../../../src/incident/incident-queue';
import { pagerDutySignature } from '../../../src/pagerduty/webhook-signature';
import { pagerDutyWebhookBody, type WebhookScene } from '../../../src/simulator/pagerduty-webhooks';
import { BotQueues } from '../../support/bot-queues';
import { dedupKey, PagerDutyBot, WEBHOOK_SECRET } from '../../support/pagerduty-bot';
import { waitForValue, waitUntil } from '../../support/wait-for';

describe('PagerDuty webhooks back (v3, POST /webhooks/pagerduty)', () => {
  let pd: PagerDutyBot;
  let queues: BotQueues;

  beforeAll(async () => {
    pd = await PagerDutyBot.start({ ackTimeout: '2s', env: { PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    queues = new BotQueues(pd.bot.testConfig.prefix);
  });
  afterAll(async () => {
    await queues.close();
    await pd.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}, method = 'POST') =>
    fetch(`${pd.bot.baseUrl}/webhooks/pagerduty`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body } : {}),
    });
  const signed = (body: string, secret = WEBHOOK_SECRET) =>
    post(body, { 'x-pagerduty-signature': pagerDutySignature(body, secret) });
  const scene = (incident: Incident, rest: Omit<WebhookScene, 'incidentKey'>): string =>
    pagerDutyWebhookBody({ incidentKey: dedupKey(incident, 'infra-oncall'), ...rest });

  /** Opens an incident and waits until PagerDuty took the primary page. */
  async function openPaged(title: string): Promise<Incident> {
    const incident = await pd.open(title);
    await waitUntil(
      async () =>
        (await pd.timeline(incident)).some((e) => e.kind === 'pagerduty' && e.data.event === 'triggered'),
      15_000,
      'the primary page in PagerDuty',
    );
    await pd.slack.waitFor(
      () => pd.pageMessage(incident)?.text.includes('paged in PagerDuty') ?? false,
      10_000,
    );
    return incident;
  }

  /** What the primary tier's ack timer decided once it fired. */
  const primaryTimerDecision = () =>
    waitForValue(
      async () => {
        const done = (await queues.jobs(INCIDENT_QUEUE, 'ack-timeout', ['completed'])).filter(
          (job) => job.data.tier === 'primary',
        );
        return done[0]?.returnvalue as string | undefined;
      },
      15_000,
      'the primary ack timer',
    );

  it('records an acknowledgement in PagerDuty as an ack, once, and the next tier is not paged', async () => {
    const incident = await openPaged('pdhookack');
    const body = scene(incident, { eventType: 'incident.acknowledged', agentName: 'Jane Doe' });
    expect((await signed(body)).status).toBe(202);
    // PagerDuty redelivers when it is unsure: nothing changes twice.
    expect((await signed(body)).status).toBe(202);

    const acks = async () => (await pd.timeline(incident)).filter((e) => e.kind === 'ack');
    await waitUntil(async () => (await acks()).length > 0, 10_000, 'the ack on the timeline');
    expect(await acks()).toEqual([
      expect.objectContaining({
        actor: 'PagerDuty',
        text: 'Jane Doe acknowledged in PagerDuty (primary, infra-oncall)',
        data: expect.objectContaining({ tier: 'primary', paged: true, user: 'pagerduty:Jane Doe' }),
      }),
    ]);
    await pd.slack.waitFor(
      () => pd.slack.messages(incident.channelId).some((m) => m.text.includes('in PagerDuty after')),
      10_000,
    );
    const said = pd.slack
      .messages(incident.channelId)
      .filter((m) => m.text.includes('acknowledged the *primary*'));
    expect(said).toHaveLength(1);
    expect(said[0]?.text).toMatch(
      /^Jane Doe acknowledged the \*primary\* page \(infra-oncall\) in PagerDuty after/,
    );

    const contacts = JSON.stringify((await pd.command('contacts', incident.channelId)).json);
    expect(contacts).toContain('• infra-oncall: <@U0ONCALL> · PagerDuty: acknowledged');
    expect(contacts).toContain('acknowledged in PagerDuty by Jane Doe');
    expect(contacts).toContain('• gcp-support: PagerDuty: linked, not paged yet');

    // The ack timer (2 s) fires and stands down: secondary is never paged.
    expect(await primaryTimerDecision()).toBe('acked');
    const timeline = await pd.timeline(incident);
    expect(timeline.filter((e) => e.kind === 'escalation')).toHaveLength(0);
    expect(pd.eventsFor(dedupKey(incident, 'gcp-support'))).toHaveLength(0);
    // The acknowledgement came from PagerDuty: nothing is sent back for it.
    expect(pd.eventsFor(dedupKey(incident, 'infra-oncall'), 'acknowledge')).toHaveLength(0);
  }, 40_000);

  it('refuses unsigned, forged and malformed requests and records nothing', async () => {
    const incident = await openPaged('pdhookforged');
    const before = await pd.timeline(incident);
    const messages = pd.slack.messages(incident.channelId).length;
    const body = scene(incident, { eventType: 'incident.acknowledged', agentName: 'Mallory' });

    expect((await post(body)).status).toBe(401);
    expect((await signed(body, 'not-the-secret')).status).toBe(401);
    expect((await post(body, { 'x-pagerduty-signature': 'v1=not-hex' })).status).toBe(401);
    expect((await post(body, { 'x-pagerduty-signature': `v1=${'0'.repeat(63)}` })).status).toBe(401);
    expect((await signed('{"event": ')).status).toBe(400);
    expect((await signed('{"messages": []}')).status).toBe(400);
    expect((await post(body, {}, 'GET')).status).toBe(405);

    // Signed, but nothing for Warroom: accepted so PagerDuty does not retry, and nothing happens.
    expect(
      (await signed(scene(incident, { eventType: 'incident.annotated', agentName: 'Jane' }))).status,
    ).toBe(202);
    const stranger = pagerDutyWebhookBody({
      eventType: 'incident.acknowledged',
      incidentKey: 'not-from-warroom',
      agentName: 'Jane',
    });
    expect((await signed(stranger)).status).toBe(202);

    await pd.bot.warroom.waitUntilIdle(5000);
    expect(await pd.timeline(incident)).toEqual(before);
    expect(pd.slack.messages(incident.channelId)).toHaveLength(messages);
    expect(pd.bot.logs()).not.toContain('Mallory');
  }, 40_000);

  it('puts a resolution in PagerDuty on the timeline without closing the incident', async () => {
    const incident = await openPaged('pdhookresolved');
    const body = scene(incident, { eventType: 'incident.resolved', agentName: 'Jane Doe' });
    expect((await signed(body)).status).toBe(202);
    expect((await signed(body)).status).toBe(202);
    const resolved = async () =>
      (await pd.timeline(incident)).filter((e) => e.kind === 'pagerduty' && e.data.event === 'resolved');
    await waitUntil(async () => (await resolved()).length > 0, 10_000, 'the resolution on the timeline');
    expect((await resolved()).map((e) => e.text)).toEqual([
      "Jane Doe resolved infra-oncall's incident in PagerDuty",
    ]);
    expect((await pd.desk.get(incident.id))?.status).toBe('open');
    await pd.slack.waitFor(
      () =>
        pd.slack.messages(incident.channelId).some((m) => m.text.includes('The Warroom incident stays open')),
      10_000,
    );
  }, 40_000);
});
