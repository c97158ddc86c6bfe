import escalate from '../../../commands/escalate';
import { deskCall, longerThan, refusalOf, runParsed } from './parse-command';

/** The tier and reason the desk is asked to page with. */
async function paged(text: string) {
  const [, , , tier, reason] = deskCall(await runParsed(escalate, text), 'escalate');
  return { tier, reason };
}

describe('/incident escalate', () => {
  it.each([
    ['escalate', { tier: undefined, reason: undefined }],
    [
      'escalate secondary regional networking suspected',
      { tier: 'secondary', reason: 'regional networking suspected' },
    ],
    ['escalate SECONDARY', { tier: 'secondary', reason: undefined }],
    ['escalate primary', { tier: 'primary', reason: undefined }],
    ["escalate executive it's been 4 hours", { tier: 'executive', reason: "it's been 4 hours" }],
    ['escalate "secondary" "regional networking"', { tier: 'secondary', reason: 'regional networking' }],
    ['escalate networking looks regional', { tier: undefined, reason: 'networking looks regional' }],
    ['escalate secondaries too', { tier: undefined, reason: 'secondaries too' }],
    ['escalate can\u2019t   reach Google', { tier: undefined, reason: 'can\u2019t   reach Google' }],
    ['escalate "secondary regional"', { tier: undefined, reason: 'secondary regional' }],
  ])('reads %j as %o', async (text, args) => {
    expect(await paged(text)).toEqual(args);
  });

  it.each([
    ['escalate business', 'No contacts are configured for the business tier.'],
    ['escalate Business customers cannot log in', 'No contacts are configured for the business tier.'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(escalate, text)).toBe(error);
  });

  it('refuses a reason over 500 characters', () => {
    expect(refusalOf(escalate, `escalate secondary ${longerThan(500)}`)).toBe(
      'Keep the reason under 500 characters; it is 501.',
    );
  });

  // A visible switch is never ignored (src/router/command-input.ts), nor taken as the reason.
  it.each(['escalate secondary --dry-run', 'escalate --now'])(
    'refuses %j instead of paging with the option as the reason',
    (text) => {
      expect(refusalOf(escalate, text)).toContain('Unknown option');
    },
  );
});
