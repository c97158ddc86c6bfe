import type { ButtonClick } from '../http/slack-payloads';
import type { Incident } from '../incident/incident';
import { refusalForClick } from '../router/dispatch';
import type { CommandBase } from '../router/subcommand';

/**
 * Judges a button click as the subcommand it stands for (`line`, e.g. `ack` or `approve r…`):
 * the same closed-incident rule and declared access as the typed command, with the refusal
 * recorded the same way. Returns the refusal to show the clicker, or undefined when it may go on.
 */
export function refuseClick(
  base: CommandBase,
  click: ButtonClick,
  line: string,
  incident: Incident | undefined,
): Promise<string | undefined> {
  return refusalForClick(
    line,
    {
      ...base,
      invocation: {
        id: click.triggerId ?? `click.${click.userId}.${line}`,
        text: `${line} (button)`,
        userId: click.userId,
        channelId: click.channelId ?? incident?.channelId ?? '',
        source: 'slack',
        receivedAt: new Date().toISOString(),
      },
    },
    incident,
  );
}
