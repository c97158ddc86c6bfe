import close from '../../../commands/close';
import { deskCall, longerThan, refusalOf, runParsed } from './parse-command';

describe('/incident close', () => {
  it.each([
    ['close', ''],
    [
      'close connector recreated; 30 minutes without errors',
      'connector recreated; 30 minutes without errors',
    ],
    [
      "close it's fixed: the connector's instances are back",
      "it's fixed: the connector's instances are back",
    ],
    ['close "connector recreated"', 'connector recreated'],
    ['close   rolled back to   backend-00041-wuz  ', 'rolled back to   backend-00041-wuz'],
    [
      'close won\u2019t happen again, see <https://example.com/pm|the postmortem>',
      'won\u2019t happen again, see <https://example.com/pm|the postmortem>',
    ],
  ])('reads %j as the resolution %j', async (text, resolution) => {
    expect(deskCall(await runParsed(close, text), 'close')[2]).toBe(resolution);
  });

  it('refuses a resolution over 3000 characters', () => {
    expect(refusalOf(close, `close ${longerThan(3000)}`)).toBe(
      'The resolution is 3001 characters; keep it under 3000.',
    );
  });

  // A visible switch is never taken as the resolution (see escalate.test.ts).
  it('refuses "close --dry-run" instead of closing the incident', () => {
    expect(refusalOf(close, 'close --dry-run')).toContain('Unknown option');
  });
});
