import type { Incident } from '../incident/incident';
import { type CommandContext, defineSubcommand, type Subcommand, type SubcommandSpec } from './subcommand';

export const NOT_AN_INCIDENT_CHANNEL =
  'This is not an incident channel. Type this in the incident’s channel, or open one with `/incident open <env> <title>`.';

/**
 * A subcommand that works inside an incident channel: it gets the incident, and typed anywhere
 * else it says so and points to `/incident open`.
 */
export function defineIncidentSubcommand<A>(
  spec: Omit<SubcommandSpec<A>, 'run'> & {
    run(
      args: A,
      context: Parameters<SubcommandSpec<A>['run']>[1],
      incident: Incident,
    ): ReturnType<SubcommandSpec<A>['run']>;
  },
): Subcommand {
  return defineSubcommand<A>({
    ...spec,
    async run(args, context) {
      const incident = await context.services.incidents.forChannel(context.invocation.channelId);
      if (!incident) return { reply: { text: NOT_AN_INCIDENT_CHANNEL } };
      await context.services.incidents.recordCommand(incident, context.invocation);
      return spec.run(args, context, incident);
    },
  });
}

/**
 * For commands that work anywhere: the incident whose channel this is, with the command recorded
 * on its timeline; undefined elsewhere.
 */
export async function incidentHere(context: Pick<CommandContext, 'invocation' | 'services'>) {
  const incident = await context.services.incidents.forChannel(context.invocation.channelId);
  if (incident) await context.services.incidents.recordCommand(incident, context.invocation);
  return incident;
}

/** The rest of the words as one text, or an error naming what is missing. */
export function restAsText(argv: string[], what: string, max = 3000) {
  const text = argv.join(' ').trim();
  if (!text) return { ok: false as const, error: `Say what the ${what} is.` };
  if (text.length > max)
    return { ok: false as const, error: `The ${what} is ${text.length} characters; keep it under ${max}.` };
  return { ok: true as const, args: { text } };
}
