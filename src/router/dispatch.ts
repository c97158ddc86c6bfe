import { randomUUID } from 'node:crypto';
import { context as contextBlock, escapeText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import type { Incident } from '../incident/incident';
import { isConnectionError, QueueUnavailableError } from '../queue/queue-unavailable';
import { refusalText } from './access';
import { CommandInput } from './command-input';
import { closedIncidentText, NOT_AN_INCIDENT_CHANNEL } from './incident-subcommand';
import type { CommandContext, CommandOutcome, PreparedCall, Subcommand } from './subcommand';
import { suggest } from './suggest';
import { firstWord, lex } from './tokenize';

/** Longest text we take; Slack caps slash command text near this. Longer text is refused, never cut. */
export const MAX_TEXT = 4000;

/**
 * The router: turns the text after `/incident` into a subcommand call and its immediate reply.
 * In order: words, subcommand, arguments, the incident of the channel, the closed-incident rule,
 * the subcommand's declared access, the timeline record, and only then `run`. Never throws:
 * unknown subcommands and bad arguments get usage; an unexpected failure gets a reference id that
 * matches the log line, never a stack trace.
 */
export async function dispatch(context: CommandContext): Promise<CommandOutcome> {
  const { invocation, registry } = context;
  const text = invocation.text;
  const lexed = lex(text);
  // The name as typed even when the rest does not split, so the problem comes with the right usage.
  const name = (lexed.ok ? lexed.tokens[0]?.text.toLowerCase() : firstWord(text)) ?? 'help';
  const command = registry.find((c) => c.name === name);
  if (!command) return { reply: unknownCommand(name, registry) };
  if (text.length > MAX_TEXT) {
    return {
      reply: usageReply(
        command,
        `The command is ${text.length} characters; Warroom takes up to ${MAX_TEXT}. Nothing was done: shorten it and send it again.`,
      ),
    };
  }
  if (!lexed.ok) return { reply: usageReply(command, lexed.error) };
  const input = new CommandInput(text, lexed.tokens.slice(1));
  try {
    const prepared = command.prepare(input, context);
    if (!prepared.ok) return { reply: usageReply(command, prepared.error) };
    return await route(command, prepared.call, context);
  } catch (error) {
    return failure(command, error, context);
  }
}

async function route(
  command: Subcommand,
  call: PreparedCall,
  context: CommandContext,
): Promise<CommandOutcome> {
  const { invocation, services } = context;
  const incident =
    command.incident === 'none' ? undefined : await services.incidents.forChannel(invocation.channelId);
  if (command.incident === 'required' && !incident) return { reply: { text: NOT_AN_INCIDENT_CHANNEL } };
  const refusal = await refuse(command, call, context, incident);
  if (refusal) return { reply: { text: refusal } };
  const open = incident?.status === 'open' ? incident : undefined;
  const mark = services.confirmation?.begin();
  if (open) await services.incidents.recordCommand(open, invocation);
  // An incident-channel command gets its incident, closed or not; elsewhere only an open one counts.
  const outcome = await call.run(context, command.incident === 'required' ? incident : open);
  if (!mark || (await services.confirmation?.confirm(mark))) return outcome;
  context.log.warn({ command: command.name }, 'command not confirmed on a Redis replica');
  return { reply: unconfirmedReply(command, outcome.reply) };
}

/**
 * The reply when no replica acknowledged the command's writes in time: Redis may be failing over,
 * and a primary's writes that no replica holds are lost when a replica takes its place.
 */
function unconfirmedReply(command: Subcommand, answer: ChatMessage): ChatMessage {
  const warning = `:warning: \`/incident ${command.name}\` may not have been recorded: Warroom's Redis did not confirm it on a replica, as happens while Redis is failing over. Check with \`/incident timeline\` in a minute and send it again if it is missing.`;
  return {
    text: `${warning}\nWarroom's answer, if it was recorded: ${answer.text}`,
    blocks: [section(warning), contextBlock(`Warroom's answer, if it was recorded: ${answer.text}`)],
  };
}

/**
 * The router's two rules, in one place: nothing changes a closed incident, and only the audience a
 * subcommand declares may run it. Returns the refusal to show (logged, and recorded on an open
 * incident), or undefined when the call may go ahead.
 */
async function refuse(
  command: Subcommand,
  call: PreparedCall,
  context: CommandContext,
  incident: Incident | undefined,
): Promise<string | undefined> {
  const { invocation, services, log } = context;
  if (incident?.status === 'closed' && call.changesIncident) return closedIncidentText(incident);
  const decision = await services.access.check(call.audience, invocation.userId, incident, call.subject);
  if (decision.allowed) return undefined;
  log.warn(
    { command: command.name, user: invocation.userId, audience: call.audience, reason: decision.reason },
    'command refused: not allowed',
  );
  if (incident?.status === 'open')
    await services.incidents.recordCommand(incident, invocation, `refused: ${decision.reason}`);
  return refusalText(command.name, call.audience, decision.reason);
}

/**
 * The same checks for a button that does what a subcommand does (Acknowledge → `ack`, Approve →
 * `approve <id>`): the click is judged by that subcommand's declaration, with `incident` the
 * incident it acts on. Returns the refusal to show, or undefined.
 */
export async function refusalForClick(
  line: string,
  context: CommandContext,
  incident: Incident | undefined,
): Promise<string | undefined> {
  const lexed = lex(line);
  const command = lexed.ok ? context.registry.find((c) => c.name === lexed.tokens[0]?.text) : undefined;
  if (!lexed.ok || !command) throw new Error(`no subcommand for the button line "${line}"`);
  const prepared = command.prepare(new CommandInput(line, lexed.tokens.slice(1)), context);
  if (!prepared.ok) return prepared.error;
  return refuse(command, prepared.call, context, incident);
}

function failure(command: Subcommand, error: unknown, context: CommandContext): CommandOutcome {
  const { log } = context;
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
