/**
 * `/incident open <env> <title> [--sev P0|P1|P2|P3]` — opens an incident: a channel
 * `inc-YYYYMMDD-<slug>` with the opener and the primary contacts, a pinned header, the timeline,
 * and a page to the primary tier. Severity defaults to P2.
 */

import { SEVERITIES, type Severity } from '../src/incident/incident';
import { parseOptions } from '../src/router/command-input';
import { environmentArg } from '../src/router/environment-arg';
import { defineSubcommand } from '../src/router/subcommand';

const MAX_TITLE = 500;

export default defineSubcommand<{ environment: string; title: string; severity: Severity }>({
  name: 'open',
  usage: 'open <env> <title> [--sev P0|P1|P2|P3]',
  summary:
    'Open an incident: its own channel, a pinned header, the timeline, and a page to the primary tier.',
  examples: ['/incident open staging "Every endpoint answers 503" --sev P1'],
  sideEffects: true,
  access: 'anyone',
  changesIncident: false,
  parse(input, { config }) {
    const parsed = parseOptions(input, { single: ['sev'] });
    if (!parsed.ok) return parsed;
    const { positional, values } = parsed.options;
    const sev = values.sev?.toUpperCase();
    if (sev !== undefined && !SEVERITIES.includes(sev as Severity))
      return { ok: false, error: `Severity must be one of ${SEVERITIES.join(', ')}.` };
    const env = environmentArg(positional.word(0), config);
    if (!env.ok) return env;
    const title = positional.rest(1);
    if (!title)
      return {
        ok: false,
        error: 'Give the incident a title: what users see, e.g. "Every endpoint answers 503".',
      };
    if (title.length > MAX_TITLE)
      return { ok: false, error: `The title is ${title.length} characters; keep it under ${MAX_TITLE}.` };
    return {
      ok: true,
      args: { environment: env.environment.name, title, severity: (sev as Severity | undefined) ?? 'P2' },
    };
  },
  async run(args, { invocation, services }) {
    await services.incidents.open({ ...args, invocation });
    return {
      reply: {
        text: `:rotating_light: Opening a ${args.severity} incident on *${args.environment}*: the channel, header and first page follow in a moment.`,
      },
    };
  },
});
