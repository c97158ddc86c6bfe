import { mrkdwnToText, renderText } from '../../../src/shell/render-text';

describe('renderText', () => {
  it('renders Slack markup and escapes as terminal text', () => {
    expect(mrkdwnToText('&lt;b&gt; &amp; <@U123> <#C1|inc-1> <https://x.test|docs> :warning:')).toBe(
      '<b> & @U123 #inc-1 docs (https://x.test) ⚠️',
    );
  });

  it('shows the fallback of a date token', () => {
    expect(mrkdwnToText('since <!date^1700000000^{time}|2023-11-14 22:13 UTC>')).toBe(
      'since 2023-11-14 22:13 UTC',
    );
  });

  it('leaves unknown emoji codes as they are', () => {
    expect(mrkdwnToText(':not_an_emoji_we_map:')).toBe(':not_an_emoji_we_map:');
  });

  it('renders blocks in order: header, section with fields, context, buttons', () => {
    const text = renderText({
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Diag' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*vpc-connector* fail' },
          fields: [{ type: 'mrkdwn', text: 'a' }],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'ref 1' }] },
        { type: 'divider' },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Acknowledge' }, action_id: 'ack' }],
        },
      ],
    });
    expect(text).toBe('== Diag ==\n*vpc-connector* fail\na\n  ref 1\n----\n[Acknowledge]');
  });

  it('falls back to the text when there are no blocks', () => {
    expect(renderText({ text: 'plain &amp; simple' })).toBe('plain & simple');
  });
});
