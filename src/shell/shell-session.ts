import { randomUUID } from 'node:crypto';
import { formatDuration, parseDuration } from '../config/duration';
import type { OffsetClock } from '../incident/clock';
import { dispatch } from '../router/dispatch';
import type { RunningWarroom } from '../warroom';
import { renderText } from './render-text';

export interface ShellSessionOptions {
  warroom: RunningWarroom;
  write: (text: string) => void;
  userId?: string;
  channelId?: string;
  /** The shell's clock: `/clock +20m` advances it and runs the timers that fall due. */
  clock?: OffsetClock;
}

export const SHELL_HELP =
  'Type /incident help (or just help). /clock +20m moves time forward, /channel C1 and /as U123 change where and who you are. /quit leaves.';

/**
 * The shell adapter: a typed line becomes the same Invocation a Slack slash command becomes, goes
 * through the same router, and its reply is printed; channel output arrives through the outbox.
 */
export class ShellSession {
  private userId: string;
  private channelId: string;

  constructor(private readonly options: ShellSessionOptions) {
    this.userId = options.userId ?? 'U0SHELL';
    this.channelId = options.channelId ?? 'C0SHELL';
  }

  /** Returns false when the line asks the shell to end. */
  async handleLine(raw: string): Promise<boolean> {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return true;
    if (line === '/quit' || line === '/exit') return false;
    if (line.startsWith('/clock')) return this.advanceClock(line.slice('/clock'.length).trim());
    const switched = /^\/channel\s+(\S+)$/.exec(line);
    if (switched?.[1]) {
      this.channelId = switched[1];
      this.options.write(`Now typing in ${this.channelId}.\n`);
      return true;
    }
    const actor = /^\/as\s+([UW][A-Z0-9]+)$/.exec(line);
    if (actor?.[1]) {
      this.userId = actor[1];
      this.options.write(`Now typing as ${this.userId}.\n`);
      return true;
    }
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

  private async advanceClock(amount: string): Promise<boolean> {
    const ms = parseDuration(amount.replace(/^\+/, ''));
    if (!this.options.clock || ms === undefined) {
      this.options.write('Usage: /clock +20m (any duration: 90s, 15m, 4h)\n');
      return true;
    }
    this.options.clock.advance(ms);
    const due = await this.options.warroom.runTimersDueBy(this.options.clock.now());
    this.options.write(
      `Clock moved forward ${formatDuration(ms)} to ${this.options.clock.now().toISOString()}; ${due} timer(s) due.\n`,
    );
    await this.waitUntilIdle();
    return true;
  }

  /** Resolves when no job is queued or running and every message is delivered. */
  waitUntilIdle(timeoutMs = 120_000): Promise<boolean> {
    return this.options.warroom.waitUntilIdle(timeoutMs);
  }
}
