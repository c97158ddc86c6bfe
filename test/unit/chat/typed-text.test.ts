import fc from 'fast-check';
import { escapeText, escapeUserText, unescapeSlackText } from '../../../src/chat/blocks';
import { esc, mrkdwnToHtml, plainFromSlack } from '../../../src/web/html';

/**
 * The transforms as they were written before they became single-pass: the reference for what they
 * mean. Each ran several regular expressions in turn; plainFromSlack's took quadratic time.
 */
const before = {
  escapeText: (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  escapeUserText: (text: string) =>
    before.escapeText(text).replace(/&lt;([@#])([UWC][A-Z0-9]+)(\|[^&]*)?&gt;/g, '<$1$2$3>'),
  unescapeSlackText: (text: string) =>
    text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  esc: (text: string) =>
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
  plainFromSlack: (text: string) =>
    text
      .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
      .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
      .replace(/<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
      .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<!(here|channel|everyone)>/g, '@$1')
      .replace(/<(https?:[^|>]+)\|([^>]*)>/g, '$2')
      .replace(/<(https?:[^>]+)>/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
};

/** Any text over the characters the transforms care about: markup, entities, ids and spaces. */
const anyText = fc
  .array(
    fc.constantFrom(
      ...'<>&|@#!^:;`"\' \nUWCS01AZaltgmp'.split(''),
      '&lt;',
      '&gt;',
      '&amp;',
      '<@U1',
      '<#C9',
      '🔥',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

/** Words as Slack sends them: `<`, `>` and `&` escaped, so no stray `<` reaches into a token. */
const slackWords = fc
  .array(fc.constantFrom(...'ab Z09|@#!^:;`"\'\n-_./'.split(''), '&lt;', '&gt;', '&amp;', '&quot;', '🔥'), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));
const label = slackWords.filter((text) => !text.includes('|'));
const slackToken = fc.oneof(
  fc
    .tuple(fc.constantFrom('U', 'W'), fc.stringMatching(/^[A-Z0-9]{1,8}$/), fc.option(label))
    .map(([kind, id, name]) => `<@${kind}${id}${name === null ? '' : `|${name}`}>`),
  fc
    .tuple(fc.stringMatching(/^[A-Z0-9]{1,8}$/), fc.option(label))
    .map(([id, name]) => `<#C${id}${name === null ? '' : `|${name}`}>`),
  fc
    .tuple(fc.stringMatching(/^[A-Z0-9]{1,8}$/), fc.option(label))
    .map(([id, name]) => `<!subteam^S${id}${name === null ? '' : `|${name}`}>`),
  fc
    .tuple(fc.integer({ min: 0 }), label)
    .map(([ts, fallback]) => `<!date^${ts}^{date_short} {time}|${fallback}>`),
  fc.constantFrom('<!here>', '<!channel>', '<!everyone>'),
  fc.tuple(fc.webUrl(), fc.option(label)).map(([url, text]) => `<${url}${text === null ? '' : `|${text}`}>`),
  fc.constantFrom('<mailto:a@b.c|mail>', '<!date^1|>', '<@U1|>', '<!something>'),
);
const slackMessage = fc
  .array(fc.oneof(slackWords, slackToken), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('Slack text transforms', () => {
  it('escape and unescape exactly as the multi-pass versions did, on any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(escapeText(text)).toBe(before.escapeText(text));
        expect(escapeUserText(text)).toBe(before.escapeUserText(text));
        expect(unescapeSlackText(text)).toBe(before.unescapeSlackText(text));
        expect(esc(text)).toBe(before.esc(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('read Slack markup as plain text as the multi-pass version did, on text Slack sends', () => {
    fc.assert(
      fc.property(slackMessage, (text) => {
        expect(plainFromSlack(text)).toBe(before.plainFromSlack(text));
        expect(mrkdwnToHtml(text)).toBe(
          before.esc(before.plainFromSlack(text)).replace(/`([^`\n]+)`/g, '<code>$1</code>'),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('leave a stray < as typed instead of reaching across it to a later >', () => {
    expect(plainFromSlack('<@U1|a<b> and <#C2|ops>')).toBe('<@U1|a<b> and #ops');
    expect(plainFromSlack('<<@U1|alice>')).toBe('<@alice');
  });

  it.each([
    ['a run of unclosed mentions', '<@U1|'],
    ['a run of unclosed links', '<http://a|'],
    ['a run of unclosed channel mentions', '<#C1|'],
  ])('keep %s as typed', (_, unit) => {
    const text = unit.repeat(10_000);
    expect(plainFromSlack(text)).toBe(text);
    expect(escapeUserText(text)).toBe(escapeText(text));
  });
});
