import followup from '../../../commands/followup';
import followups from '../../../commands/followups';
import { deskCall, longerThan, refusalOf, runParsed } from './parse-command';

const DAY = 86_400_000;

describe('/incident followup', () => {
  it.each([
    ['followup alert on connector instances at max', { text: 'alert on connector instances at max' }],
    [
      'followup alert on connector instances at max <@U0ALICE>',
      { text: 'alert on connector instances at max', owner: 'U0ALICE' },
    ],
    [
      'followup alert on connector instances at max <@U0ALICE|alice> --due 7d',
      { text: 'alert on connector instances at max', owner: 'U0ALICE', dueInMs: 7 * DAY },
    ],
    ['followup --due 2w write the runbook', { text: 'write the runbook', dueInMs: 14 * DAY }],
    ['followup write the runbook --due 12H', { text: 'write the runbook', dueInMs: 12 * 3_600_000 }],
    ['followup ask <@U0BOB> about the connector', { text: 'ask <@U0BOB> about the connector' }],
    ['followup "done right: health checks"', { text: 'done right: health checks' }],
    ["followup it's <!channel> & <b>bold</b>", { text: "it's <!channel> & <b>bold</b>" }],
  ])('reads %j', async (line, expected) => {
    const [, request] = deskCall(await runParsed(followup, line), 'addFollowUp') as [unknown, object];
    expect(request).toEqual({ ...expected, user: 'U1', idempotencyKey: expect.any(String) });
  });

  it.each([
    ['followup', 'Say what needs doing'],
    ['followup <@U0ALICE>', 'Say what needs doing'],
    ['followup the runbook @alice', 'The owner is one person, named with a Slack mention'],
    ['followup the runbook <!subteam^S0INFRA|@infra>', 'The owner is one person'],
    ['followup the runbook --due', '--due needs a value'],
    ['followup the runbook --due 7', '--due takes a number of hours, days or weeks'],
    ['followup the runbook --due 0d', '--due takes'],
    ['followup the runbook --due 30m', '--due takes'],
    ['followup the runbook --due 366d', '--due takes'],
    ['followup the runbook --due 53w', '--due takes'],
    ['followup the runbook --due 99999d', '--due takes'],
    ['followup the runbook --due 7d --due 8d', '--due is given twice'],
    ['followup the runbook --owner me', 'Unknown option'],
    ['followup done', 'Say which follow-up by its number'],
    ['followup done two', 'Say which follow-up by its number'],
    ['followup done 0', 'Say which follow-up by its number'],
    ['followup done 1 2', 'Say which follow-up by its number'],
  ])('refuses %j', (line, error) => {
    expect(refusalOf(followup, line)).toContain(error);
  });

  it('refuses text over 300 characters', () => {
    expect(refusalOf(followup, `followup ${longerThan(300)}`)).toContain(
      'The follow-up is 301 characters; keep it under 300',
    );
  });

  it.each([
    ['followup done 2', 2],
    ['followup done #3', 3],
    ['followup DONE 1', 1],
  ])('reads %j as marking follow-up %i done', async (line, number) => {
    const ran = await runParsed(followup, line);
    expect(deskCall(ran, 'followUpDone')[1]).toBe(number);
    expect(ran.reply.text).toContain(`There is no follow-up #${number}`);
  });

  it('answers with the number it recorded', async () => {
    const ran = await runParsed(followup, 'followup write the runbook <@U0ALICE>');
    expect(ran.reply.text).toContain('Recorded as follow-up #1');
  });
});

describe('/incident followups', () => {
  it('says how to add one when there are none', async () => {
    expect((await runParsed(followups, 'followups')).reply.text).toContain('No follow-ups yet');
  });

  it('takes no arguments', () => {
    expect(refusalOf(followups, 'followups alert')).toContain('followups takes nothing');
  });
});
