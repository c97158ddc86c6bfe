import { TerminalWorkspace } from '../../../src/shell/terminal-workspace';

describe('TerminalWorkspace', () => {
  let printed: string[];
  let workspace: TerminalWorkspace;
  beforeEach(() => {
    printed = [];
    workspace = new TerminalWorkspace((text) => printed.push(text), {
      userGroups: { S0ONCALL: ['U0BOB', 'U0CAROL'] },
    });
  });

  it('prints each change to the workspace as one line', async () => {
    const created = await workspace.createChannel('inc-1-db');
    const id = created.ok ? created.id : '';
    await workspace.invite(id, ['U0BOB', 'nobody', 'U0BOB']);
    await workspace.invite(id, ['U0BOB']);
    await workspace.setTopic(id, 'SEV1 · prod');
    await workspace.pin(id, '1700000000.000100');
    await workspace.pin(id, '1700000000.000100');
    await workspace.archive(id);
    await workspace.archive(id);

    expect(created).toEqual({ ok: true, id: 'C1' });
    expect(printed).toEqual([
      '[slack] created #inc-1-db (C1)\n',
      '[slack] invited @U0BOB to #inc-1-db; skipped @nobody (user_not_found)\n',
      '[slack] invited nobody to #inc-1-db; skipped @U0BOB (already_in_channel)\n',
      '[slack] topic of #inc-1-db: SEV1 · prod\n',
      '[slack] pinned 1700000000.000100 in #inc-1-db\n',
      '[slack] archived #inc-1-db\n',
    ]);
  });

  it('answers name_taken for a name in use, and finds only live channels by name', async () => {
    await workspace.createChannel('inc-2');
    expect(await workspace.createChannel('inc-2')).toEqual({ ok: false, reason: 'name_taken' });
    expect(await workspace.findChannelByName('inc-2')).toBe('C1');
    await workspace.archive('C1');
    expect(await workspace.findChannelByName('inc-2')).toBeUndefined();
  });

  it('expands seeded groups, stands an unseeded group for one pseudo-user, and keeps user ids', async () => {
    expect(await workspace.expandUserGroup('S0ONCALL')).toEqual(['U0BOB', 'U0CAROL']);
    expect(await workspace.expandUserGroup('S0DBA')).toEqual(['U0DBA']);
    expect(await workspace.expandUserGroup('W0ALICE')).toEqual(['W0ALICE']);
  });

  it('opens a DM with any user id and refuses anything else', async () => {
    expect(await workspace.openDirectMessage('U0BOB')).toEqual({ ok: true, channel: 'D0BOB' });
    expect(await workspace.openDirectMessage('bob')).toEqual({ ok: false, error: 'user_not_found' });
  });

  it('cuts a long topic to Slack’s 250 characters', async () => {
    await workspace.setTopic('C0SHELL', '🔥'.repeat(200));
    const topic = (printed[0] ?? '').replace('[slack] topic of #c0shell: ', '').trimEnd();
    expect(topic.length).toBeLessThanOrEqual(250);
    expect(topic).toBe(`${'🔥'.repeat(124)}…`);
  });
});
