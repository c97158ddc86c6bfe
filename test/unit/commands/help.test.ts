import help from '../../../commands/help';
import { refusalOf, runParsed } from './parse-command';

// `help diag`, `help nope` and `help a b` go through the router in test/unit/router/dispatch.test.ts.
describe('/incident help', () => {
  it.each([
    ['help', 'Warroom commands:'],
    ['help open', '/incident open <env> <title> [--sev P0|P1|P2|P3] — '],
    ['help VERIFY', '/incident verify <env> [--watch 30m] — '],
    ['help "restart"', '/incident restart <env> <service> [--reason text] [--dry-run] — '],
    ['help --watch', 'There is no subcommand "--watch".'],
  ])('reads %j and answers with %j', async (text, said) => {
    expect((await runParsed(help, text)).reply.text).toContain(said);
  });

  it.each([
    ['help restart rollback', 'help takes at most one subcommand name.'],
    ['help open staging "Every endpoint answers 503"', 'help takes at most one subcommand name.'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(help, text)).toBe(error);
  });
});
