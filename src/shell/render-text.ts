import type { KnownBlock } from '@slack/types';
import type { ChatMessage } from '../chat/message';

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  hourglass_flowing_sand: '⏳',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  white_circle: '⚪',
  rotating_light: '🚨',
  mag: '🔍',
  pushpin: '📌',
  question: '❓',
  arrows_counterclockwise: '🔄',
  heavy_minus_sign: '➖',
};

/** Renders a message for a terminal: the blocks when there are any, otherwise the text. */
export function renderText(message: ChatMessage): string {
  if (!message.blocks || message.blocks.length === 0) return mrkdwnToText(message.text);
  return message.blocks
    .map(renderBlock)
    .filter((line) => line.length > 0)
    .join('\n');
}

function renderBlock(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return `== ${block.text.text} ==`;
    case 'section': {
      const fields = (block.fields ?? []).map((f) => mrkdwnToText(f.text));
      return [block.text ? mrkdwnToText(block.text.text) : '', ...fields].filter(Boolean).join('\n');
    }
    case 'context':
      return block.elements.map((e) => ('text' in e ? `  ${mrkdwnToText(e.text)}` : '')).join(' ');
    case 'divider':
      return '----';
    case 'actions':
      return block.elements
        .map((e) => (e.type === 'button' ? `[${e.text.text}]` : ''))
        .filter(Boolean)
        .join(' ');
    default:
      return '';
  }
}

/** Slack mrkdwn and its escapes, reduced to what reads well in a terminal. */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<([@#!])([A-Za-z0-9^]+)\|([^>]*)>/g, (_m, sigil: string, _id: string, label: string) =>
      sigil === '!' ? `@${label}` : `${sigil}${label}`,
    )
    .replace(/<([@#])([A-Z0-9]+)>/g, '$1$2')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (match, name: string) => EMOJI[name] ?? match)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
