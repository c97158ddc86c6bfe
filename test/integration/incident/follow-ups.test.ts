import { collectRecapFacts } from '../../../src/incident/collect-recap-facts';
import { renderRecap } from '../../../src/incident/render-recap';
import { DeskHarness } from './desk-harness';

let harness: DeskHarness;
beforeEach(() => {
  harness = new DeskHarness();
});
afterEach(() => harness.close());

describe('follow-ups on real Redis', () => {
  it('numbers them, lists them, marks one done and shows them in the recap, after the close too', async () => {
    const incident = await harness.openIncident();
    const first = await harness.reply(
      incident,
      'followup alert on connector instances at max <@U0ALICE> --due 7d',
    );
    expect(first.text).toContain('follow-up #1');
    await harness.desk.close(incident, 'U0CMDR', 'connector recreated');
    const closed = { ...(await harness.store.get(incident.id)), status: 'closed' as const };
    // Added from the channel of the closed incident.
    expect(
      (await harness.reply(closed as typeof incident, 'followup write a runbook for diagnostic')).text,
    ).toContain('follow-up #2');
    expect((await harness.reply(incident, 'followup done 1')).text).toContain('Follow-up #1 is done');
    expect((await harness.reply(incident, 'followup done 1')).text).toContain('already done');
    expect((await harness.reply(incident, 'followup done 7')).text).toContain('There is no follow-up #7');

    const listed = (await harness.reply(incident, 'followups')).text;
    expect(listed).toContain('(1 open of 2)');
    expect(listed).toContain('*#1* alert on connector instances at max — owner <@U0ALICE> — due <!date^');
    expect(listed).toContain(':ballot_box_with_check: done by <@U0CMDR>');
    expect(listed).toContain('*#2* write a runbook for diagnostic');

    const timeline = await harness.store.timelineByTime(incident.id);
    expect(timeline.filter((e) => e.kind === 'follow-up').map((e) => e.data.number)).toEqual([1, 2]);
    expect(timeline.filter((e) => e.kind === 'follow-up-done').map((e) => e.data.number)).toEqual([1]);
    const record = (await harness.store.get(incident.id)) ?? incident;
    const facts = collectRecapFacts(record, timeline, harness.config);
    expect(facts.followUps.map((f) => [f.number, f.state, f.owner])).toEqual([
      [1, 'done', 'U0ALICE'],
      [2, 'open', undefined],
    ]);
    // The close is what the recap measures: a follow-up added later does not lengthen it.
    expect(facts.endedAt).toBe(record.closedAt);
    expect(JSON.stringify(renderRecap(record, timeline, harness.config).blocks)).toContain(
      '*#2* write a runbook for diagnostic',
    );
  });

  it('records one follow-up per idempotency key, however often it is asked (an Add button clicked twice)', async () => {
    const incident = await harness.openIncident();
    await harness.store.append(
      incident.id,
      harness.entry(incident, 5, 'diag-finished', {
        runId: 'd1',
        environment: 'staging',
        verdict: 'vpc-connector-saturated',
        title: 'The connector is at its maximum instances',
      }),
    );
    const suggested = 'Alert on connector instances at max (and on connector CPU)';
    const before = collectRecapFacts(
      incident,
      await harness.store.timelineByTime(incident.id),
      harness.config,
    );
    expect(before.suggestedFollowUps).toContain(suggested);
    const request = {
      text: suggested,
      user: 'U0ANY',
      idempotencyKey: 'suggestion:abc',
    };
    const [a, b] = await Promise.all([
      harness.desk.addFollowUp(incident, request),
      harness.desk.addFollowUp(incident, { ...request, user: 'U0OTHER' }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['added', 'exists']);
    expect(await harness.desk.followUps(incident)).toHaveLength(1);
    const timeline = await harness.store.timelineByTime(incident.id);
    expect(timeline.filter((e) => e.kind === 'follow-up')).toHaveLength(1);
    // Recorded, it is no longer suggested.
    const facts = collectRecapFacts(incident, timeline, harness.config);
    expect(facts.suggestedFollowUps).not.toContain(suggested);
    expect(facts.suggestedFollowUps).toContain('Connector scaling thresholds (max instances, machine type)');
  });

  it('knows the owner of each follow-up, for the access check', async () => {
    const incident = await harness.openIncident();
    await harness.reply(incident, 'followup write the runbook <@U0ALICE>');
    expect(await harness.desk.followUpOwner(incident, 1)).toBe('U0ALICE');
    expect(await harness.desk.followUpOwner(incident, 2)).toBeUndefined();
  });
});
