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

describe('/incident help and side effects', () => {
  it.each([
    ['help', 'help [subcommand] — List the subcommands, or show how to use one. (anyone)'],
    ['open', '(acts outside Warroom; anyone)'],
    ['restart', '(acts outside Warroom without --dry-run; responders)'],
    ['verify', '(acts outside Warroom with --watch; anyone; with --watch: '],
    ['deny', '(approvers)'],
  ])('marks %s in the list as its declaration says', async (name, said) => {
    const { reply } = await runParsed(help, 'help');
    const line = reply.text.split('\n').find((l) => l.startsWith(`/incident ${name} `));
    expect(line).toContain(said);
  });

  it.each([
    ['help escalate', 'Who may run it: responders or the incident’s commander. It acts outside Warroom.'],
    ['help rollback', 'Who may run it: responders. It acts outside Warroom without --dry-run.'],
    ['help note', 'Who may run it: anyone.'],
  ])('says so for one subcommand: %j', async (text, said) => {
    const { text: reply } = (await runParsed(help, text)).reply;
    expect(reply.slice(-said.length)).toBe(said);
  });
});
