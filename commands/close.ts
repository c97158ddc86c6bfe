/** `/incident close [resolution]` — closes the incident, cancels pending escalations and posts the recap. */

import { parseOptions } from '../src/router/command-input';
import { MAX_FREE_TEXT } from '../src/router/incident-subcommand';
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<{ resolution: string }>({
  name: 'close',
  usage: 'close [resolution]',
  summary:
    'Close the incident and post the recap: each phase against its expected duration, pages, acks and runs.',
  examples: ['/incident close connector recreated; 30 minutes without errors'],
  sideEffects: true,
  access: 'commander-or-responders',
  changesIncident: true,
  parse(input) {
    // A visible switch is never a word of the resolution: close has none, so any is an error.
    const parsed = parseOptions(input, {});
    if (!parsed.ok) return parsed;
    const resolution = parsed.options.positional.rest();
    if (resolution.length > MAX_FREE_TEXT)
      return {
        ok: false,
        error: `The resolution is ${resolution.length} characters; keep it under ${MAX_FREE_TEXT}.`,
      };
    return { ok: true, args: { resolution } };
  },
  async run({ resolution }, { invocation, services }, incident) {
    const { alreadyClosed } = await services.incidents.close(incident, invocation.userId, resolution);
    if (alreadyClosed) return { reply: { text: 'This incident is already closed.' } };
    return { reply: { text: ':white_check_mark: Closed. The recap follows in the channel.' } };
  },
});
