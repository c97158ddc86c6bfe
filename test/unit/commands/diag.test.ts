import diag from '../../../commands/diag';
import { refusalOf, runParsed } from './parse-command';

// `diag staging`, `diag`, `diag prod`, `diag ../../x` and `diag staging prod` go through the router
// in test/unit/router/dispatch.test.ts; these are the other ways people type it.
describe('/incident diag', () => {
  it.each([
    ['diag STAGING', 'staging'],
    ['diag "staging"', 'staging'],
    ['diag   staging  ', 'staging'],
  ])('reads %j as the environment %s', async (text, environment) => {
    const { diag: launcher } = await runParsed(diag, text);
    expect(launcher.launched.map((l) => l.environment.name)).toEqual([environment]);
  });

  it.each([
    ['diag staging backend', 'diag takes one environment name. Configured: `staging`.'],
    ['diag staging --watch 30m', 'diag takes one environment name.'],
    ['diag "staging backend"', 'There is no environment "staging backend".'],
    ['diag --dry-run', 'There is no environment "--dry-run". Configured: `staging`.'],
    ['diag stagingg', 'There is no environment "stagingg".'],
    [`diag ${'s'.repeat(60)}`, `There is no environment "${'s'.repeat(40)}…".`],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(diag, text)).toContain(error);
  });
});
