/** `/incident phase <name>` — moves the incident to another phase (diagnostic, restoration, validation, or the phases in config). */
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<{ phase: string }>({
  name: 'phase',
  usage: 'phase <name>',
  summary: 'Move the incident to another phase; each phase is timed against its expected duration.',
  examples: ['/incident phase restoration'],
  sideEffects: false,
  access: 'commander-or-responders',
  changesIncident: true,
  parse(input, { config }) {
    const names = config.phases.map((p) => p.name);
    const phase = input.word(0)?.toLowerCase();
    if (input.length !== 1 || !phase || !names.includes(phase)) {
      return { ok: false, error: `Name one phase: ${names.map((n) => `\`${n}\``).join(', ')}.` };
    }
    return { ok: true, args: { phase } };
  },
  async run({ phase }, { invocation, services }, incident) {
    const moved = await services.incidents.phase(incident, invocation.userId, phase, invocation.id);
    return {
      reply: {
        text: moved ? `Phase is now *${phase}*.` : `The incident is already in the *${phase}* phase.`,
      },
    };
  },
});
