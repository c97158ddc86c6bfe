/**
 * `/incident postmortem` — regenerates the incident's postmortem draft in Google Docs in place
 * (the same document, its contents rebuilt from the record) and answers with its link; creates it
 * if closing could not.
 */
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<Record<string, never>>({
  name: 'postmortem',
  usage: 'postmortem',
  summary:
    'Regenerate the postmortem draft in Google Docs from the record (same document; what was typed in it is replaced).',
  examples: ['/incident postmortem'],
  sideEffects: true,
  access: 'commander-or-responders',
  // The draft is written after the close: regenerating it is how a failed one is retried.
  changesIncident: false,
  parse(input) {
    if (input.length > 0) return { ok: false, error: 'postmortem takes nothing.' };
    return { ok: true, args: {} };
  },
  async run(_args, { config, invocation, services }, incident) {
    if (!config.postmortem)
      return {
        reply: {
          text: 'Postmortem drafts are off: Warroom’s operators turn them on with `postmortem: { driveFolderId: <id> }` in the config (docs/configuration.md).',
        },
      };
    const link = await services.incidents.postmortem(incident, invocation.id);
    return {
      reply: {
        text: link
          ? `:page_facing_up: Regenerating the <${link}|postmortem draft> in place; the channel hears when it is done.`
          : ':page_facing_up: Writing the postmortem draft; its link follows in the channel.',
      },
    };
  },
});
