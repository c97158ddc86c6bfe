/** `/incident close [resolution]` — closes the incident, cancels pending escalations and posts the recap. */
import { defineIncidentSubcommand } from '../src/commands/incident-subcommand';

export default defineIncidentSubcommand<{ resolution: string }>({
  name: 'close',
  usage: 'close [resolution]',
  summary:
    'Close the incident and post the recap: each phase against its expected duration, pages, acks and runs.',
  examples: ['/incident close connector recreated; 30 minutes without errors'],
  sideEffects: true,
  parse: (argv) => ({ ok: true, args: { resolution: argv.join(' ').trim().slice(0, 3000) } }),
  async run({ resolution }, { invocation, services }, incident) {
    const { alreadyClosed } = await services.incidents.close(incident, invocation.userId, resolution);
    if (alreadyClosed) return { reply: { text: 'This incident is already closed.' } };
    return { reply: { text: ':white_check_mark: Closed. The recap follows in the channel.' } };
  },
});
