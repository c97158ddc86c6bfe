import { randomUUID } from 'node:crypto';
import { context as contextBlock, escapeText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { isConnectionError, QueueUnavailableError } from '../queue/queue-unavailable';
import type { CommandContext, CommandOutcome, Subcommand } from './subcommand';
import { suggest } from './suggest';
import { tokenize } from './tokenize';

/** Longest text we look at; Slack caps slash command text well below this. */
const MAX_TEXT = 4000;

/**
 * Turns the text after `/incident` into a subcommand call and its immediate reply. Never throws:
 * unknown subcommands and bad arguments get usage; an unexpected failure gets a reference id that
 * matches the log line, never a stack trace.
 */
export async function dispatch(context: CommandContext): Promise<CommandOutcome> {
  const { invocation, registry, log } = context;
  const text = invocation.text.length > MAX_TEXT ? invocation.text.slice(0, MAX_TEXT) : invocation.text;
  const [first, ...argv] = tokenize(text);
  const name = (first ?? 'help').toLowerCase();
  const command = registry.find((c) => c.name === name);
  if (!command) return { reply: unknownCommand(first ?? '', registry) };
  try {
    const outcome = await command.invoke(argv, context);
    if ('usageError' in outcome) return { reply: usageReply(command, outcome.usageError) };
    return outcome;
  } catch (error) {
    if (error instanceof QueueUnavailableError) {
      log.error({ command: command.name }, 'command refused: Redis does not answer');
      return {
        reply: {
          text: `:x: Warroom cannot reach its job queue right now, so \`/incident ${command.name}\` was not started and nothing changed. Try again in a minute; Warroom's operators can see the cause at /readyz.`,
        },
      };
    }
    if (isConnectionError(error)) {
      // Redis went away part-way through: some of the command may already be recorded.
      log.error({ command: command.name }, 'command interrupted: Redis connection lost');
      return {
        reply: {
          text: `:x: Warroom lost its connection to its job queue while handling \`/incident ${command.name}\`, so it may not have been recorded. Check with \`/incident timeline\` in a minute and repeat it if it is missing.`,
        },
      };
    }
    const ref = randomUUID().slice(0, 8);
    log.error({ err: error, ref, command: command.name }, 'command failed');
    return {
      reply: {
        text: `Sorry, \`/incident ${command.name}\` failed unexpectedly (ref ${ref}). Nothing was changed by this reply; try again, and tell the Warroom operators the ref if it keeps failing.`,
      },
    };
  }
}

export function usageReply(command: Subcommand, problem: string): ChatMessage {
  const usage = `/incident ${command.usage}`;
  const examples = command.examples.map((e) => `\`${e}\``).join('  ');
  // Problems quote what was typed; Slack reads & < > as markup even in code spans, so escape both.
  return {
    text: `${escapeText(problem)} Usage: ${escapeText(usage)}`,
    blocks: [
      section(`:warning: ${escapeText(problem)}\nUsage: \`${escapeText(usage)}\``),
      ...(examples ? [contextBlock(`Examples: ${examples}`)] : []),
    ],
  };
}

function unknownCommand(given: string, registry: readonly Subcommand[]): ChatMessage {
  const shown = escapeText(given.length > 40 ? `${given.slice(0, 40)}…` : given);
  const guess = suggest(
    given.toLowerCase(),
    registry.map((c) => c.name),
  );
  const hint = guess ? ` Did you mean \`/incident ${guess}\`?` : '';
  const list = registry.map((c) => `\`${c.name}\``).join(', ');
  return {
    text: `Unknown subcommand "${shown}".${hint} Available: ${list}. Type /incident help for usage.`,
    blocks: [
      section(`:warning: Unknown subcommand \`${shown}\`.${hint}`),
      contextBlock(`Available: ${list}. Type \`/incident help\` for usage.`),
    ],
  };
}
