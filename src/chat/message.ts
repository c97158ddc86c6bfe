import type { KnownBlock } from '@slack/types';

/**
 * What the bot says, independent of where it is shown: Slack renders the blocks,
 * the shell renders them as text. `text` is the notification/fallback text and must
 * carry the gist on its own.
 */
export interface ChatMessage {
  text: string;
  blocks?: KnownBlock[];
}
