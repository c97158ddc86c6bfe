import { randomUUID } from 'node:crypto';
import { dispatch } from '../commands/dispatch';
import type { RunningWarroom } from '../warroom';
import { renderText } from './render-text';

export interface ShellSessionOptions {
  warroom: RunningWarroom;
  write: (text: string) => void;
  userId?: string;
  channelId?: string;
}

export const SHELL_HELP = 'Type /incident help (or just help). /quit leaves.';

/**
 * The shell adapter: a typed line becomes the same Invocation a Slack slash command becomes, goes
 * through the same router, and its reply is printed; channel output arrives through the outbox.
 */
export class ShellSession {
  private readonly userId: string;
  private readonly channelId: string;

  constructor(private readonly options: ShellSessionOptions) {
    this.userId = options.userId ?? 'U0SHELL';
    this.channelId = options.channelId ?? 'C0SHELL';
  }

  /** Returns false when the line asks the shell to end. */
  async handleLine(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return true;
    if (line === '/quit' || line === '/exit') return false;
    const text = line.replace(/^\/incident\b\s*/, '');
    if (line.startsWith('/') && text === line) {
      this.options.write(`Unknown shell command ${line.split(/\s/)[0]}. ${SHELL_HELP}\n`);
      return true;
    }
    const outcome = await dispatch({
      ...this.options.warroom.commands,
      invocation: {
        id: randomUUID(),
        text,
        userId: this.userId,
        channelId: this.channelId,
        source: 'shell',
        receivedAt: new Date().toISOString(),
      },
    });
    this.options.write(`(only you) ${renderText(outcome.reply).replace(/\n/g, '\n  ')}\n`);
    return true;
  }

  /** Resolves when no job is queued or running and every message is delivered. */
  async waitUntilIdle(timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (Date.now() < deadline) {
      quietChecks = (await this.options.warroom.isIdle()) ? quietChecks + 1 : 0;
      // Two quiet looks in a row: a finishing job may still be handing over to the outbox.
      if (quietChecks >= 2) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }
}
