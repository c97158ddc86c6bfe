/** `/incident status <text>` — posts a status update in the incident channel, records it and refreshes the pinned header. */
import { restAsText } from '../src/router/incident-subcommand';
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<{ text: string }>({
  name: 'status',
  usage: 'status <text>',
  summary: 'Post a status update; it goes on the timeline and into the pinned header.',
  examples: ['/incident status Connector recreated, services restarting'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: true,
  parse: (input) => restAsText(input, 'status update'),
  async run({ text }, { invocation, services }, incident) {
    await services.incidents.status(incident, invocation.userId, text, invocation.id);
    return { reply: { text: ':loudspeaker: Status posted and the header updated.' } };
  },
});
