import { registry } from '../../../commands';
import { parseCommand } from './parse-command';

/**
 * Which command lines act outside Warroom (Cloud Run, pages, Slack channels), and why. Posting in a
 * channel and the incident's own record, timeline and timers do not count. Help marks these; a new
 * subcommand fails the first test until it has a row here.
 */
const SIDE_EFFECTS: [line: string, outside: boolean, why: string][] = [
  ['help', false, 'answers only the person who asked'],
  [
    'open staging Every endpoint answers 503',
    true,
    'creates a channel, invites people, pages the primary tier',
  ],
  ['diag staging', false, 'reads Google Cloud, the health endpoints and the database'],
  ['restart staging backend', true, 'deploys a new Cloud Run revision'],
  ['restart staging backend --dry-run', false, 'reads the service and shows the update it would send'],
  ['rollback staging backend', true, 'moves the Cloud Run service’s traffic'],
  ['rollback staging backend --dry-run', false, 'reads the service and shows the update it would send'],
  ['approve r0123456789', true, 'runs the approved restart or rollback on Cloud Run'],
  ['deny r0123456789', false, 'records the decision; nothing is sent to Google'],
  ['verify staging', false, 'checks health, the database, Cloud Run and the steps, once'],
  ['verify staging --watch 30m', true, 'pages the primary tier on the first failure'],
  ['status connector recreated', false, 'posts in the incident channel and refreshes its header'],
  ['phase restoration', false, 'an overrun is posted in the channel, nobody is paged'],
  ['commander <@U0NEW>', false, 'the incident’s record; nobody is invited or paged'],
  ['note connector instances dropped to 0', false, 'the timeline only'],
  ['timeline', false, 'reads the timeline'],
  ['contacts', false, 'reads the tiers'],
  ['escalate secondary regional networking', true, 'pages a tier'],
  ['ack', false, 'stops Warroom’s own escalation timers'],
  ['close connector recreated', true, 'archives the channel where incidents.archiveOnClose is set'],
  [
    'followup alert on connector instances at max <@U0ALICE> --due 7d',
    false,
    'the follow-ups and the timeline',
  ],
  ['followup done 1', false, 'the follow-ups and the timeline'],
  ['followups', false, 'reads the follow-ups'],
  ['postmortem', true, 'rewrites the Google Doc in Drive'],
  ['links', false, 'hands out Warroom’s own links'],
  ['links revoke', false, 'revokes Warroom’s own links'],
];

describe('which subcommands act outside Warroom', () => {
  it('covers every subcommand in the registry', () => {
    const covered = new Set(SIDE_EFFECTS.map(([line]) => line.split(' ')[0]));
    expect(covered).toEqual(new Set(registry.map((c) => c.name)));
  });

  it.each(SIDE_EFFECTS)('/incident %s: %p (%s)', (line, outside) => {
    const command = registry.find((c) => c.name === line.split(' ')[0]);
    if (!command) throw new Error(`no subcommand for ${line}`);
    const parsed = parseCommand(command, line);
    if (!parsed.ok) throw new Error(`/incident ${line} was refused: ${parsed.error}`);
    expect(parsed.call.sideEffects).toBe(outside);
  });
});
