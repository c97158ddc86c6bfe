/**
 * `/incident help [subcommand]` — lists what Warroom can do, or shows one subcommand's usage
 * and examples. Built from the registry, so it is never out of date.
 */
import { context, escapeText, header, section } from '../src/chat/blocks';
import type { ChatMessage } from '../src/chat/message';
import { defineSubcommand, type Subcommand } from '../src/commands/subcommand';

export default defineSubcommand<{ topic?: string }>({
  name: 'help',
  usage: 'help [subcommand]',
  summary: 'List the subcommands, or show how to use one.',
  examples: ['/incident help', '/incident help diag'],
  sideEffects: false,
  parse(argv) {
    if (argv.length > 1) return { ok: false, error: 'help takes at most one subcommand name.' };
    return { ok: true, args: argv[0] === undefined ? {} : { topic: argv[0].toLowerCase() } };
  },
  async run({ topic }, { registry, services }) {
    if (topic === undefined) return { reply: renderCommandList(registry, services.pages?.list()) };
    const command = registry.find((c) => c.name === topic);
    if (!command) {
      const names = registry.map((c) => c.name).join(', ');
      return { reply: { text: `There is no subcommand "${escapeText(topic)}". Available: ${names}.` } };
    }
    return { reply: renderCommandHelp(command) };
  },
});

export function renderCommandList(registry: readonly Subcommand[], pagesUrl?: string): ChatMessage {
  const lines = registry.map(
    (c) => `\`/incident ${c.usage}\` — ${c.summary}${c.sideEffects ? ' _(changes things)_' : ''}`,
  );
  return {
    text: `Warroom commands:\n${registry.map((c) => `/incident ${c.usage} — ${c.summary}`).join('\n')}`,
    blocks: [
      header('Warroom commands'),
      section(lines.join('\n')),
      context('`/incident help <subcommand>` shows examples. Replies like this one are visible only to you.'),
      ...(pagesUrl
        ? [context(`<${pagesUrl}|All incidents>: open and recently closed, each with its page.`)]
        : []),
    ],
  };
}

function renderCommandHelp(command: Subcommand): ChatMessage {
  const examples = command.examples.map((e) => `• \`${e}\``).join('\n');
  return {
    text: `/incident ${command.usage} — ${command.summary}`,
    blocks: [
      section(`*\`/incident ${command.usage}\`*\n${command.summary}`),
      ...(examples ? [section(`Examples:\n${examples}`)] : []),
      ...(command.sideEffects
        ? [context('This subcommand changes things and is limited to responders.')]
        : []),
    ],
  };
}
