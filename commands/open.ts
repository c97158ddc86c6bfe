/**
 * `/incident open <env> <title> [--sev P0|P1|P2|P3]` — opens an incident: a channel
 * `inc-YYYYMMDD-<slug>` with the opener and the primary contacts, a pinned header, the timeline,
 * and a page to the primary tier. Severity defaults to P2.
 */
import { defineSubcommand } from '../src/commands/subcommand';
import { SEVERITIES, type Severity } from '../src/incident/incident';

const MAX_TITLE = 500;

export default defineSubcommand<{ environment: string; title: string; severity: Severity }>({
  name: 'open',
  usage: 'open <env> <title> [--sev P0|P1|P2|P3]',
  summary:
    'Open an incident: its own channel, a pinned header, the timeline, and a page to the primary tier.',
  examples: ['/incident open staging "Every endpoint answers 503" --sev P1'],
  sideEffects: true,
  parse(argv, { config }) {
    const known = Object.keys(config.environments)
      .map((n) => `\`${n}\``)
      .join(', ');
    const words = [...argv];
    let severity: Severity = 'P2';
    const sevAt = words.findIndex((w) => w === '--sev' || w.startsWith('--sev='));
    if (sevAt >= 0) {
      const flag = words[sevAt] ?? '';
      const value = (flag.includes('=') ? flag.split('=')[1] : words[sevAt + 1])?.toUpperCase();
      if (!SEVERITIES.includes(value as Severity)) {
        return { ok: false, error: `Severity must be one of ${SEVERITIES.join(', ')}.` };
      }
      severity = value as Severity;
      words.splice(sevAt, flag.includes('=') ? 1 : 2);
    }
    const [environment, ...titleWords] = words;
    if (!environment)
      return { ok: false, error: `Which environment, and what is happening? Configured: ${known}.` };
    if (!config.environments[environment.toLowerCase()]) {
      return {
        ok: false,
        error: `There is no environment "${environment.slice(0, 40)}". Configured: ${known}.`,
      };
    }
    const title = titleWords.join(' ').trim();
    if (!title)
      return {
        ok: false,
        error: 'Give the incident a title: what users see, e.g. "Every endpoint answers 503".',
      };
    if (title.length > MAX_TITLE)
      return { ok: false, error: `The title is ${title.length} characters; keep it under ${MAX_TITLE}.` };
    return { ok: true, args: { environment: environment.toLowerCase(), title, severity } };
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
