import type {
  CreateChannelResult,
  DirectMessageResult,
  InviteResult,
  MessageContent,
  SlackWorkspace,
} from '../slack/slack-workspace';
import { truncateTopic } from '../slack/slack-workspace';

export interface TerminalWorkspaceOptions {
  /** User group id → its members. A group not listed stands for one pseudo-user: `S123` → `U123`. */
  userGroups?: Readonly<Record<string, readonly string[]>>;
}

interface ShellChannel {
  id: string;
  name: string;
  members: Set<string>;
  topic: string;
  archived: boolean;
  pins: Set<string>;
}

/** Every user id exists in the shell, so any contact list can be demonstrated; anything else is unknown. */
const USER_ID = /^[UW][A-Z0-9]+$/;

/**
 * The workspace for the shell: no Slack, only channels and members kept in memory, and a line printed for each
 * change (`[slack] invited @U1 to #inc-…`), so a demo shows what an incident would do to the workspace.
 */
export class TerminalWorkspace implements SlackWorkspace {
  private readonly channels = new Map<string, ShellChannel>();
  private counter = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: TerminalWorkspaceOptions = {},
  ) {}

  async createChannel(name: string): Promise<CreateChannelResult> {
    // As in Slack, an archived channel keeps its name.
    if ([...this.channels.values()].some((c) => c.name === name)) {
      this.print(`#${name} is taken`);
      return { ok: false, reason: 'name_taken' };
    }
    this.counter += 1;
    const id = `C${this.counter}`;
    this.channels.set(id, newChannel(id, name));
    this.print(`created #${name} (${id})`);
    return { ok: true, id };
  }

  async findChannelByName(name: string): Promise<string | undefined> {
    return [...this.channels.values()].find((c) => c.name === name && !c.archived)?.id;
  }

  async invite(channel: string, users: string[]): Promise<InviteResult> {
    const record = this.channel(channel);
    const result: InviteResult = { invited: [], skipped: [] };
    for (const user of new Set(users)) {
      if (!USER_ID.test(user)) result.skipped.push({ user, reason: 'user_not_found' });
      else if (record.members.has(user)) result.skipped.push({ user, reason: 'already_in_channel' });
      else {
        record.members.add(user);
        result.invited.push(user);
      }
    }
    const skipped = result.skipped.map((s) => `@${s.user} (${s.reason})`).join(', ');
    this.print(
      `invited ${result.invited.map((u) => `@${u}`).join(', ') || 'nobody'} to #${record.name}` +
        (skipped ? `; skipped ${skipped}` : ''),
    );
    return result;
  }

  async setTopic(channel: string, topic: string): Promise<void> {
    const record = this.channel(channel);
    record.topic = truncateTopic(topic);
    this.print(`topic of #${record.name}: ${record.topic}`);
  }

  async pin(channel: string, ts: string): Promise<void> {
    const record = this.channel(channel);
    if (record.pins.has(ts)) return;
    record.pins.add(ts);
    this.print(`pinned ${ts} in #${record.name}`);
  }

  async archive(channel: string): Promise<void> {
    const record = this.channel(channel);
    if (record.archived) return;
    record.archived = true;
    this.print(`archived #${record.name}`);
  }

  async expandUserGroup(id: string): Promise<string[]> {
    if (!id.startsWith('S')) return [id];
    return [...(this.options.userGroups?.[id] ?? [`U${id.slice(1)}`])];
  }

  async openDirectMessage(user: string): Promise<DirectMessageResult> {
    if (!USER_ID.test(user)) return { ok: false, error: 'user_not_found' };
    return { ok: true, channel: `D${user.slice(1)}` };
  }

  async permalink(channel: string, ts: string): Promise<string | undefined> {
    // `.invalid` is reserved: the link looks like Slack's but can lead nowhere.
    return `https://slack.invalid/archives/${channel}/p${ts.replace('.', '')}`;
  }

  async message(): Promise<MessageContent | undefined> {
    // The shell's messages live in its chat sink, and nobody can react to them, so there is nothing to read back.
    return undefined;
  }

  /** Channels not made here (the shell's own, or an id typed by hand) are taken as they come, so a demo goes on. */
  private channel(id: string): ShellChannel {
    let record = this.channels.get(id);
    if (!record) {
      record = newChannel(id, id.toLowerCase());
      this.channels.set(id, record);
    }
    return record;
  }

  private print(line: string): void {
    this.write(`[slack] ${line}\n`);
  }
}

function newChannel(id: string, name: string): ShellChannel {
  return { id, name, members: new Set(), topic: '', archived: false, pins: new Set() };
}
