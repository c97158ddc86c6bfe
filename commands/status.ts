/** `/incident status <text>` — posts a status update in the incident channel, records it and refreshes the pinned header. */
import { defineIncidentSubcommand, restAsText } from '../src/commands/incident-subcommand';

export default defineIncidentSubcommand<{ text: string }>({
  name: 'status',
  usage: 'status <text>',
  summary: 'Post a status update; it goes on the timeline and into the pinned header.',
  examples: ['/incident status Connector recreated, services restarting'],
  sideEffects: false,
  parse: (argv) => restAsText(argv, 'status update'),
  async run({ text }, { invocation, services }, incident) {
    await services.incidents.status(incident, invocation.userId, text, invocation.id);
    return { reply: { text: ':loudspeaker: Status posted and the header updated.' } };
  },
});
