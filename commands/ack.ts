/** `/incident ack` — acknowledges the page (the same as the Acknowledge button); stops the tier's escalation. */
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<Record<string, never>>({
  name: 'ack',
  usage: 'ack',
  summary: 'Acknowledge the page, like the Acknowledge button: escalation stops.',
  examples: ['/incident ack'],
  sideEffects: false,
  access: 'paged-commander-or-responders',
  changesIncident: true,
  parse: (input) =>
    input.length > 0 ? { ok: false, error: 'ack takes no arguments.' } : { ok: true, args: {} },
  async run(_args, { invocation, services }, incident) {
    const { recorded, paged } = await services.incidents.ack(incident, invocation.userId);
    if (!recorded) return { reply: { text: 'Your acknowledgement is already on the timeline.' } };
    return {
      reply: {
        text: paged
          ? ':white_check_mark: Acknowledged: escalation stops.'
          : ':white_check_mark: Recorded as yours. You were not paged, so the page stays open for those who were.',
      },
    };
  },
});
