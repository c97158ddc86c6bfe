/** `/incident contacts` — each tier: who, paged when, acknowledged by whom and when. */

import { renderContacts } from '../src/incident/render-contacts';
import { defineIncidentSubcommand } from '../src/router/subcommand';

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
    const contacts = await services.incidents.contacts(incident);
    return { reply: renderContacts(config, contacts, services.incidents.now()) };
  },
});
