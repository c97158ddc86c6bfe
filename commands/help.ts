/**
 * `/incident help [subcommand]` — lists what Warroom can do, or shows one subcommand's usage
 * and examples. Built from the registry, so it is never out of date.
 */
import { context, escapeText, header, section } from '../src/chat/blocks';
import type { ChatMessage } from '../src/chat/message';
import { describeAccess } from '../src/router/access';
import { defineSubcommand, type SideEffects, type Subcommand } from '../src/router/subcommand';

export default defineSubcommand<{ topic?: string }>({
  name: 'help',
  usage: 'help [subcommand]',
  summary: 'List the subcommands, or show how to use one.',
  examples: ['/incident help', '/incident help diag'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: false,
  parse(input) {
    if (input.length > 1) return { ok: false, error: 'help takes at most one subcommand name.' };
    const topic = input.word(0)?.toLowerCase();
    return { ok: true, args: topic === undefined ? {} : { topic } };
  },
  async run({ topic }, { registry }) {
    if (topic === undefined) return { reply: renderCommandList(registry) };
    const command = registry.find((c) => c.name === topic);
    if (!command) {
      const names = registry.map((c) => c.name).join(', ');
      return { reply: { text: `There is no subcommand "${escapeText(topic)}". Available: ${names}.` } };
    }
    return { reply: renderCommandHelp(command) };
  },
});

/** Who may run a subcommand and whether it acts outside Warroom, from its declaration. */
function who(command: Subcommand): string {
  const access = describeAccess(command.access);
  const effects = describeSideEffects(command.sideEffects);
  return effects ? `${effects}; ${access}` : access;
}

/** "acts outside Warroom", "acts outside Warroom with --watch", or nothing for one that never does. */
function describeSideEffects(sideEffects: SideEffects<never>): string | undefined {
  if (sideEffects === false) return undefined;
  return sideEffects === true ? 'acts outside Warroom' : `acts outside Warroom ${sideEffects.when}`;
}

function renderCommandList(registry: readonly Subcommand[]): ChatMessage {
  const lines = registry.map((c) => `\`/incident ${c.usage}\` — ${c.summary} _(${who(c)})_`);
  return {
    text: `Warroom commands:\n${registry.map((c) => `/incident ${c.usage} — ${c.summary} (${who(c)})`).join('\n')}`,
    blocks: [
      header('Warroom commands'),
      section(lines.join('\n')),
      context('`/incident help <subcommand>` shows examples. Replies like this one are visible only to you.'),
    ],
  };
}

function renderCommandHelp(command: Subcommand): ChatMessage {
  const examples = command.examples.map((e) => `• \`${e}\``).join('\n');
  const effects = describeSideEffects(command.sideEffects);
  const access = `Who may run it: ${describeAccess(command.access)}.${effects ? ` It ${effects}.` : ''}`;
  return {
    text: `/incident ${command.usage} — ${command.summary} ${access}`,
    blocks: [
      section(`*\`/incident ${command.usage}\`*\n${command.summary}`),
      ...(examples ? [section(`Examples:\n${examples}`)] : []),
      context(access),
    ],
  };
}
