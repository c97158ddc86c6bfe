import postmortem from '../../../commands/postmortem';
import { configFrom, STAGING_YAML } from '../../support/command-context';
import { COMMANDS_CONFIG, deskCall, refusalOf, runParsed } from './parse-command';

describe('/incident postmortem', () => {
  const withDrafts = configFrom(`${STAGING_YAML}postmortem: { driveFolderId: warroom-postmortems }\n`);

  it('says how to turn the drafts on when they are off, and queues nothing', async () => {
    const ran = await runParsed(postmortem, 'postmortem', COMMANDS_CONFIG);
    expect(ran.reply.text).toContain('postmortem: { driveFolderId: <id> }');
    expect(ran.incidents.methods()).not.toContain('postmortem');
  });

  it('queues the regeneration and, with no document yet, says its link follows in the channel', async () => {
    const ran = await runParsed(postmortem, 'postmortem', withDrafts);
    expect(deskCall(ran, 'postmortem')[1]).toEqual(expect.any(String));
    expect(ran.reply.text).toContain('its link follows in the channel');
  });

  it('takes no arguments', () => {
    expect(refusalOf(postmortem, 'postmortem now', withDrafts)).toBe('postmortem takes nothing.');
  });
});
