import approve from '../../../commands/approve';
import deny from '../../../commands/deny';
import { refusalOf, runParsed } from './parse-command';

describe.each([approve, deny])('/incident $name', (command) => {
  const { name } = command;
  it.each([
    [name, undefined],
    [`${name} r3f9a1c2b7d`, 'r3f9a1c2b7d'],
    [`${name} R3F9A1C2B7D`, 'r3f9a1c2b7d'],
    [`${name} "r3f9a1c2b7d"`, 'r3f9a1c2b7d'],
  ])('reads %j as the request %s', async (text, requestId) => {
    const { remediation } = await runParsed(command, text);
    expect(remediation.decided).toEqual([{ decision: name, requestId }]);
  });

  const notAnId = (id: string) => `"${id}" is not a request id (they look like r3f9a1c2b7d).`;
  it.each([
    [`${name} 3f9a1c2b7d`, notAnId('3f9a1c2b7d')],
    [`${name} r3f9a1c2b7`, notAnId('r3f9a1c2b7')],
    [`${name} r3f9a1c2b7dd`, notAnId('r3f9a1c2b7dd')],
    [`${name} rzzzzzzzzzz`, notAnId('rzzzzzzzzzz')],
    [`${name} --force`, notAnId('--force')],
    [`${name} r3f9a1c2b7d/../../x`, notAnId('r3f9a1c2b7d/../../x'.slice(0, 20))],
    [
      `${name} r3f9a1c2b7d r0123456789`,
      'Give one request id, as shown on the request (e.g. r3f9a1c2b7d), or none for the one waiting here.',
    ],
    [`${name} r3f9a1c2b7d looks fine`, 'Give one request id'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(command, text)).toContain(error);
  });

  // An empty first word must not hide the id after it: deciding whatever waits in the channel
  // instead of the request named would do more than the person meant.
  it(`refuses ${name} "" r3f9a1c2b7d rather than ignoring the id`, () => {
    expect(refusalOf(command, `${name} "" r3f9a1c2b7d`)).toContain('Give one request id');
  });
});
