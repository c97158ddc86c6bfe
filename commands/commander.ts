/** `/incident commander @user` — hands the incident commander role to someone. */
import { defineIncidentSubcommand } from '../src/router/subcommand';

const MENTION = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/;

export default defineIncidentSubcommand<{ user: string }>({
  name: 'commander',
  usage: 'commander @user',
  summary: 'Make someone the incident commander.',
  examples: ['/incident commander @alice'],
  sideEffects: false,
  access: 'commander-or-responders',
  changesIncident: true,
  parse(input) {
    const user = MENTION.exec(input.word(0) ?? '')?.[1];
    if (input.length !== 1 || !user)
      return { ok: false, error: 'Mention one person, e.g. `/incident commander @alice`.' };
    return { ok: true, args: { user } };
  },
  async run({ user }, { invocation, services }, incident) {
    await services.incidents.commander(incident, invocation.userId, user, invocation.id);
    return { reply: { text: `<@${user}> is now the incident commander.` } };
  },
});
