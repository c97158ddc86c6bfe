import { tokenize } from '../../../src/commands/tokenize';

describe('tokenize', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['help', ['help']],
    ['diag   staging', ['diag', 'staging']],
    ['open staging "Connector timeouts" --sev P1', ['open', 'staging', 'Connector timeouts', '--sev', 'P1']],
    ["note 'it is the connector'", ['note', 'it is the connector']],
    ['note \u201csmart quotes\u201d here', ['note', 'smart quotes', 'here']],
    ['commander <@U123|alice smith>', ['commander', '<@U123|alice smith>']],
    ['a""b', ['ab']],
    ['""', ['']],
    ['unterminated "quote here', ['unterminated', 'quote here']],
    ['tab\tand\nnewline', ['tab', 'and', 'newline']],
  ])('splits %j into %j', (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});
