import { firstWord, lex } from '../../../src/router/tokenize';

const wordsOf = (text: string) => {
  const lexed = lex(text);
  if (!lexed.ok) throw new Error(lexed.error);
  return lexed.tokens.map((t) => t.text);
};

describe('lex', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['help', ['help']],
    ['diag   staging', ['diag', 'staging']],
    ['open staging "Connector timeouts" --sev P1', ['open', 'staging', 'Connector timeouts', '--sev', 'P1']],
    ["note 'it is the connector'", ['note', 'it is the connector']],
    ['note \u201csmart quotes\u201d here', ['note', 'smart quotes', 'here']],
    ['note \u2018curly single\u2019 here', ['note', 'curly single', 'here']],
    ['commander <@U123|alice smith>', ['commander', '<@U123|alice smith>']],
    ['""', ['']],
    ['tab\tand\nnewline', ['tab', 'and', 'newline']],
  ])('splits %j into %j', (text, expected) => {
    expect(wordsOf(text)).toEqual(expected);
  });

  it.each([
    [
      "restart staging web --reason it's down --dry-run",
      ['restart', 'staging', 'web', '--reason', "it's", 'down', '--dry-run'],
    ],
    ['status can\u2019t connect', ['status', 'can\u2019t', 'connect']],
    ["note the users' sessions", ['note', 'the', "users'", 'sessions']],
    ['note 5" pipe', ['note', '5"', 'pipe']],
    ['note a"b c"d', ['note', 'a"b', 'c"d']],
    ['note "it\'s fine" now', ['note', "it's fine", 'now']],
  ])('keeps an apostrophe or quote inside a word as a letter: %j', (text, expected) => {
    expect(wordsOf(text)).toEqual(expected);
  });

  it('says where an unbalanced quote is, instead of merging words', () => {
    const lexed = lex("restart staging web --reason 'cause it is down --dry-run");
    expect(lexed.ok).toBe(false);
    if (lexed.ok) return;
    expect(lexed.at).toBe(29);
    expect(lexed.error).toContain('character 30');
    expect(lexed.error).toContain("'cause it is down");
  });

  it.each(['"open', 'note "a b"c', 'note \u201cnever closed'])('refuses %j', (text) => {
    expect(lex(text).ok).toBe(false);
  });

  it('keeps a < that is not a Slack reference, or one never closed, an ordinary letter', () => {
    expect(wordsOf('note a < b and c > d')).toEqual(['note', 'a', '<', 'b', 'and', 'c', '>', 'd']);
    expect(wordsOf('note <@U1|never --dry-run')).toEqual(['note', '<@U1|never', '--dry-run']);
  });

  it('records where each word came from, quotes included', () => {
    const lexed = lex('note  "two words"  x');
    expect(lexed.ok && lexed.tokens.map((t) => [t.start, t.end, t.grouped])).toEqual([
      [0, 4, false],
      [6, 17, true],
      [19, 20, false],
    ]);
  });
});

describe('firstWord', () => {
  it.each([
    ['', undefined],
    ['  DIAG staging', 'diag'],
    ['"help"', '"help"'],
  ])('of %j is %j', (text, expected) => {
    expect(firstWord(text)).toBe(expected);
  });
});
