import note from '../../../commands/note';
import status from '../../../commands/status';
import { deskCall, longerThan, refusalOf, runParsed } from './parse-command';

// Free text is taken as typed (src/router/command-input.ts `rest`); the property in
// test/unit/router/typed-text.property.test.ts covers notes of arbitrary words.
describe.each([
  [note, 'note'],
  [status, 'status update'],
])('/incident $name', (command, what) => {
  const { name } = command;
  it.each([
    ['connector instances dropped to 0 at 23:05', 'connector instances dropped to 0 at 23:05'],
    ['Connector recreated, services restarting', 'Connector recreated, services restarting'],
    ["it's the connector's fault", "it's the connector's fault"],
    ['can\u2019t connect   to Cloud SQL', 'can\u2019t connect   to Cloud SQL'],
    ['"connector is flapping"', 'connector is flapping'],
    ['\u201cconnector is flapping\u201d', 'connector is flapping'],
    ['"connector" is "flapping"', '"connector" is "flapping"'],
    ['the 5" pipe and the users\' sessions', 'the 5" pipe and the users\' sessions'],
    ['--dry-run was used first', '--dry-run was used first'],
    ['<@U0ALICE|alice> is on it, see <#C0OPS|ops>', '<@U0ALICE|alice> is on it, see <#C0OPS|ops>'],
    ['first line\nsecond line', 'first line\nsecond line'],
  ])(`reads "${name} %s" as %j`, async (typed, text) => {
    expect(deskCall(await runParsed(command, `${name} ${typed}`), name)[2]).toBe(text);
  });

  it.each([name, `${name}   `, `${name} ""`])('refuses %j: nothing to record', (text) => {
    expect(refusalOf(command, text)).toBe(`Say what the ${what} is.`);
  });

  it('refuses text over 3000 characters', () => {
    expect(refusalOf(command, `${name} ${longerThan(3000)}`)).toBe(
      `The ${what} is 3001 characters; keep it under 3000.`,
    );
  });
});
