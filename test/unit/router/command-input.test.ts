import { CommandInput, type OptionSpec, parseOptions } from '../../../src/router/command-input';
import { lex } from '../../../src/router/tokenize';

function input(text: string): CommandInput {
  const lexed = lex(text);
  if (!lexed.ok) throw new Error(lexed.error);
  return new CommandInput(text, lexed.tokens);
}

const REMEDIATION: OptionSpec = { valued: ['reason'], switches: ['dry-run'] };

describe('CommandInput.rest', () => {
  it.each([
    ['can\u2019t connect to   the database', 'can\u2019t connect to   the database'],
    ["it's the connector, isn't it?", "it's the connector, isn't it?"],
    ['"connector is flapping"', 'connector is flapping'],
    ['"connector" is "flapping"', '"connector" is "flapping"'],
    ['line one\nline two', 'line one\nline two'],
    ['  padded  ', 'padded'],
    ['<@U1|alice> is on it', '<@U1|alice> is on it'],
  ])('takes %j as typed: %j', (text, expected) => {
    expect(input(text).rest()).toBe(expected);
  });
});

describe('parseOptions', () => {
  it.each<[string, string[], Record<string, string>, string[]]>([
    ["staging web --reason it's down --dry-run", ['staging', 'web'], { reason: "it's down" }, ['dry-run']],
    [
      'staging web --dry-run --reason connector   recreated',
      ['staging', 'web'],
      { reason: 'connector   recreated' },
      ['dry-run'],
    ],
    [
      'staging web --reason "it is down" --dry-run',
      ['staging', 'web'],
      { reason: 'it is down' },
      ['dry-run'],
    ],
    ['staging web \u2014dry-run', ['staging', 'web'], {}, ['dry-run']],
    ['staging web --DRY-RUN', ['staging', 'web'], {}, ['dry-run']],
    ['staging web --reason=down now', ['staging', 'web'], { reason: 'down now' }, []],
    ['staging -- web', ['staging', '--', 'web'], {}, []],
    ['staging web -1 x', ['staging', 'web', '-1', 'x'], {}, []],
  ])('reads %j', (text, positional, values, switches) => {
    const parsed = parseOptions(input(text), REMEDIATION);
    expect(
      parsed.ok && [parsed.options.positional.words, parsed.options.values, [...parsed.options.switches]],
    ).toEqual([positional, values, switches]);
  });

  it.each([
    ['staging web --reason down --force', 'Unknown option "--force"'],
    ['staging web --dryrun', 'Did you mean --dry-run?'],
    ['staging web --reason "down --dry-run"', '"--dry-run" is inside quotes'],
    ['staging web <@U1|a --dry-run>', '"--dry-run" is inside quotes'],
    ['staging web -dry-run', 'did you mean --dry-run?'],
    ['staging web --reason down -dry-run', 'did you mean --dry-run?'],
    ['staging web --reason', '--reason needs a value.'],
    ['staging web --reason a --reason b', '--reason is given twice'],
    ['staging web --dry-run=yes', '--dry-run takes no value.'],
  ])('refuses %j', (text, problem) => {
    const parsed = parseOptions(input(text), REMEDIATION);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(problem);
  });

  it('takes one word for a single-word option and leaves the rest positional', () => {
    const parsed = parseOptions(input('staging --sev P1 Every endpoint answers 503'), { single: ['sev'] });
    expect(parsed.ok && [parsed.options.values, parsed.options.positional.rest(1)]).toEqual([
      { sev: 'P1' },
      'Every endpoint answers 503',
    ]);
  });

  it('joins free text around an option with one space, each part as typed', () => {
    const parsed = parseOptions(input("staging it's  down --sev P1 since 23:05"), { single: ['sev'] });
    expect(parsed.ok && parsed.options.positional.rest(1)).toBe("it's  down since 23:05");
  });
});
