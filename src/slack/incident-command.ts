import type { App, RespondArguments } from '@slack/bolt';
import { unescapeSlackText } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { readSlashCommand } from '../http/slack-payloads';
import type { Invocation } from '../invocation';
import { dispatch } from '../router/dispatch';
import type { CommandBase } from '../router/subcommand';
import { firstWord } from '../router/tokenize';

/** Told how long each acknowledgement took (metrics), with the command's first word; optional. */
export interface AckObserver {
  ackTimed(firstWord: string | undefined, seconds: number): void;
}

/** Past this, the command is acknowledged with "working on it" and answered through response_url. */
const ACK_DEADLINE_MS = 2000;

/**
 * `/incident …`: turns Slack's payload into an Invocation, routes it, and acknowledges with the
 * reply (ephemeral). Commands only validate and enqueue, so this is normally milliseconds; the
 * deadline keeps Slack's 3-second limit even when Redis is slow.
 */
export function registerIncidentCommand(app: App, base: CommandBase, observer?: AckObserver): void {
  app.command(/^\/incident/, async ({ command, ack, respond }) => {
    const started = performance.now();
    // Signed by Slack is not the same as well-formed: a payload of another shape is acked and dropped.
    const read = readSlashCommand(command);
    if (!read.ok) {
      await ack();
      base.log.warn({ problem: read.problem }, 'ignored a slash command of the wrong shape');
      return;
    }
    const fields = read.value;
    const invocation: Invocation = {
      id: fields.triggerId ?? `${fields.channelId}-${Date.now()}`,
      // Slack escapes &, < and > (should_escape); commands see the text as it was typed.
      text: unescapeSlackText(fields.text),
      userId: fields.userId,
      channelId: fields.channelId,
      ...(fields.teamId ? { teamId: fields.teamId } : {}),
      source: 'slack',
      receivedAt: new Date().toISOString(),
    };
    const log = base.log.child({ invocation: invocation.id, user: invocation.userId });
    const outcome = dispatch({ ...base, log, invocation });
    const first = await Promise.race([outcome, delay(ACK_DEADLINE_MS)]);
    const recordAck = () => {
      const ms = performance.now() - started;
      observer?.ackTimed(firstWord(invocation.text), ms / 1000);
      return Math.round(ms);
    };
    if (first) {
      await ack(ephemeral(first.reply));
      log.info({ ackMs: recordAck() }, 'command acknowledged');
      return;
    }
    await ack(ephemeral({ text: ':hourglass_flowing_sand: Working on it…' }));
    log.warn({ ackMs: recordAck() }, 'command slower than the ack deadline');
    const late = await outcome;
    await respond(ephemeral(late.reply));
  });
}

function ephemeral(message: ChatMessage): RespondArguments {
  return {
    response_type: 'ephemeral',
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  };
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
