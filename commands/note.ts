/** `/incident note <text>` — adds a note to the incident's timeline (in an incident channel). */
import { restAsText } from '../src/router/incident-subcommand';
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<{ text: string }>({
  name: 'note',
  usage: 'note <text>',
  summary: 'Add a note to the incident timeline.',
  examples: ['/incident note connector instances dropped to 0 at 23:05'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: true,
  parse: (input) => restAsText(input, 'note'),
  async run({ text }, { invocation, services }, incident) {
    await services.incidents.note(incident, invocation.userId, text, invocation.id);
    return { reply: { text: ':memo: Noted on the timeline.' } };
  },
});
