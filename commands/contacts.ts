/** `/incident contacts` — each tier: who, paged when, acknowledged by whom and when. */
import { defineIncidentSubcommand } from '../src/commands/subcommand';
import { escalationState } from '../src/incident/escalation';
import { renderContacts } from '../src/incident/render-contacts';

export default defineIncidentSubcommand<Record<string, never>>({
  name: 'contacts',
  usage: 'contacts',
  summary: 'Show each tier: who, paged when, acknowledged by whom and when.',
  examples: ['/incident contacts'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: false,
  parse: (input) =>
    input.length > 0 ? { ok: false, error: 'contacts takes no arguments.' } : { ok: true, args: {} },
  async run(_args, { config, services }, incident) {
    const state = escalationState(await services.incidents.timeline(incident));
    return { reply: renderContacts(config, state, services.incidents.now()) };
  },
});
