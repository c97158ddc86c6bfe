import type { FakeSlack } from '../test/support/fake-slack';
import { waitUntil } from '../test/support/wait-for';

/**
 * Which diag runs, one per channel, have posted their verdict in the loopback Slack. A channel
 * that has one is not looked at again, so counting often stays cheap for the process that also
 * serves the bot's Slack calls.
 */
export class Verdicts {
  private readonly done = new Set<string>();

  constructor(
    private readonly slack: FakeSlack,
    private readonly channels: readonly string[],
  ) {}

  /** Channels `prefix0` … `prefix<count - 1>`, one run each, as the load client names them. */
  static inChannels(slack: FakeSlack, prefix: string, count: number): Verdicts {
    return new Verdicts(
      slack,
      Array.from({ length: count }, (_, i) => `${prefix}${i}`),
    );
  }

  count(): number {
    for (const channel of this.channels) {
      if (this.done.has(channel)) continue;
      if (this.slack.messages(channel).some((m) => m.text.includes('verdict:'))) this.done.add(channel);
    }
    return this.done.size;
  }

  /** Resolves when every channel has its verdict; the error says how many came and where. */
  async all(timeoutMs = 180_000): Promise<void> {
    const total = this.channels.length;
    await waitUntil(() => this.count() === total, timeoutMs, `${total} verdicts`).catch((error: Error) => {
      throw new Error(`${error.message} in ${this.channels[0]}…: ${this.count()} came`);
    });
  }
}
