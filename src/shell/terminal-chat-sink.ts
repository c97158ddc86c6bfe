import type { ChatSink, PostRequest } from '../chat/chat-sink';
import type { ChatMessage } from '../chat/message';
import { renderText } from './render-text';

/**
 * Channel output for the shell: every post and update is printed as text, with the message's
 * number so an update can be told from a new message.
 */
export class TerminalChatSink implements ChatSink {
  private counter = 0;
  private readonly byKey = new Map<string, string>();
  private readonly numbers = new Map<string, number>();

  constructor(private readonly write: (text: string) => void) {}

  async postMessage(request: PostRequest): Promise<{ ts: string }> {
    this.counter += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.counter).padStart(6, '0')}`;
    this.byKey.set(`${request.channel}/${request.key}`, ts);
    this.numbers.set(ts, this.counter);
    const thread = request.threadTs ? ` ↳ reply to #${this.numbers.get(request.threadTs) ?? '?'}` : '';
    this.print(`[#${this.counter} ${request.channel}${thread}]`, request.message);
    return { ts };
  }

  async updateMessage(request: { channel: string; ts: string; message: ChatMessage }): Promise<void> {
    this.print(`[#${this.numbers.get(request.ts) ?? '?'} ${request.channel} updated]`, request.message);
  }

  async findPostedMessage(channel: string, key: string): Promise<{ ts: string } | undefined> {
    const ts = this.byKey.get(`${channel}/${key}`);
    return ts ? { ts } : undefined;
  }

  private print(label: string, message: ChatMessage): void {
    const body = renderText(message)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    this.write(`${label}\n${body}\n`);
  }
}
