/** `/incident followups` — lists the incident's follow-ups with their numbers, owners and states. */
import { followUpLine } from '../src/incident/render-follow-ups';
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<Record<string, never>>({
  name: 'followups',
  usage: 'followups',
  summary: 'List the follow-ups with their numbers, owners, due dates and states.',
  examples: ['/incident followups'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: false,
  parse(input) {
    if (input.length > 0)
      return { ok: false, error: 'followups takes nothing; to add one, use `/incident followup <text>`.' };
    return { ok: true, args: {} };
  },
  async run(_args, { services }, incident) {
    const items = await services.incidents.followUps(incident);
    if (items.length === 0)
      return {
        reply: {
          text: 'No follow-ups yet. Add one with `/incident followup <text> [@owner] [--due 7d]`.',
        },
      };
    const open = items.filter((f) => f.state === 'open').length;
    return {
      reply: {
        text: `*Follow-ups of ${incident.id}* (${open} open of ${items.length})\n${items.map(followUpLine).join('\n')}`,
      },
    };
  },
});
