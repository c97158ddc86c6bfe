import restart from '../../../commands/restart';
import rollback from '../../../commands/rollback';
import type { Subcommand } from '../../../src/router/subcommand';
import { longerThan, refusalOf, runParsed } from './parse-command';

/** What the command asks the remediation desk for, without the invocation and the incident. */
async function asked(command: Subcommand, text: string) {
  const { remediation } = await runParsed(command, text);
  return remediation.asked.map(({ environment, service, revision, reason, dryRun }) => ({
    environment: environment.name,
    service,
    ...(revision ? { revision } : {}),
    ...(reason ? { reason } : {}),
    dryRun,
  }));
}

const SERVICES = 'Warroom only acts on `backend`, `auth`, `ai`.';

// The option rules themselves (dashes, `=`, quotes hiding an option) are in
// test/unit/router/command-input.test.ts; these tables are about what each command makes of them.
describe.each([restart, rollback])('/incident $name', (command) => {
  const { name } = command;
  it.each([
    [`${name} staging backend`, { environment: 'staging', service: 'backend', dryRun: false }],
    [`${name} STAGING Backend`, { environment: 'staging', service: 'backend', dryRun: false }],
    [`${name} staging ai --dry-run`, { environment: 'staging', service: 'ai', dryRun: true }],
    [
      `${name} staging backend --reason connector recreated`,
      { environment: 'staging', service: 'backend', reason: 'connector recreated', dryRun: false },
    ],
    [
      `${name} staging auth --reason it's the connector's fault --dry-run`,
      { environment: 'staging', service: 'auth', reason: "it's the connector's fault", dryRun: true },
    ],
    [
      `${name} staging backend --dry-run --reason "connector recreated"`,
      { environment: 'staging', service: 'backend', reason: 'connector recreated', dryRun: true },
    ],
    [
      `${name} --reason can\u2019t reach   Cloud SQL --dry-run staging backend`,
      { environment: 'staging', service: 'backend', reason: 'can\u2019t reach   Cloud SQL', dryRun: true },
    ],
    [
      `${name} staging backend --reason the "fix" made it worse`,
      { environment: 'staging', service: 'backend', reason: 'the "fix" made it worse', dryRun: false },
    ],
  ])('reads %j as %o', async (text, args) => {
    expect(await asked(command, text)).toEqual([args]);
  });

  it.each([
    [name, 'Which environment? Configured: `staging`.'],
    [`${name} production backend`, 'There is no environment "production".'],
    [`${name} staging`, 'Which service? staging has `backend`, `auth`, `ai`.'],
    [`${name} staging --dry-run`, 'Which service? staging has `backend`, `auth`, `ai`.'],
    [`${name} staging web`, `"web" is not a configured service of staging; ${SERVICES}`],
    [`${name} staging ../backend`, `"../backend" is not a configured service of staging; ${SERVICES}`],
    [`${name} staging "backend auth"`, `"backend auth" is not a configured service of staging;`],
    [`${name} backend staging`, 'There is no environment "backend".'],
    [`${name} staging backend --force`, 'Unknown option "--force". Options: --reason, --dry-run.'],
    [`${name} staging backend --dryrun`, 'Did you mean --dry-run?'],
    [`${name} staging backend --reason`, '--reason needs a value.'],
    [`${name} staging backend --reason "down --dry-run"`, '"--dry-run" is inside quotes'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(command, text)).toContain(error);
  });

  it('refuses a reason over 500 characters', () => {
    expect(refusalOf(command, `${name} staging backend --reason ${longerThan(500)}`)).toBe(
      'Keep the reason under 500 characters.',
    );
  });
});

describe('/incident restart', () => {
  it.each([
    [
      'restart staging backend connector recreated',
      'restart takes an environment and a service; put words of a reason after --reason.',
    ],
    ['restart staging backend backend-00041-wuz', 'restart takes an environment and a service; put words'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(restart, text)).toContain(error);
  });
});

describe('/incident rollback', () => {
  it.each([
    [
      'rollback staging backend backend-00041-wuz --dry-run',
      { environment: 'staging', service: 'backend', revision: 'backend-00041-wuz', dryRun: true },
    ],
    [
      'rollback staging backend Backend-00041-WUZ',
      { environment: 'staging', service: 'backend', revision: 'backend-00041-wuz', dryRun: false },
    ],
    [
      'rollback staging ai ai-00007-k2p --reason bad deploy',
      {
        environment: 'staging',
        service: 'ai',
        revision: 'ai-00007-k2p',
        reason: 'bad deploy',
        dryRun: false,
      },
    ],
  ])('reads %j as %o', async (text, args) => {
    expect(await asked(rollback, text)).toEqual([args]);
  });

  const notARevision = (revision: string) =>
    `"${revision}" is not a revision of backend: revision names look like backend-00041-wuz.`;
  it.each([
    ['rollback staging backend auth-00041-wuz', notARevision('auth-00041-wuz')],
    ['rollback staging backend 00041-wuz', notARevision('00041-wuz')],
    ['rollback staging backend backend-', notARevision('backend-')],
    ['rollback staging backend backend_00041_wuz', notARevision('backend_00041_wuz')],
    ['rollback staging backend backend-00041-wuz/../x', notARevision('backend-00041-wuz/../x')],
    [`rollback staging backend backend-${'0'.repeat(56)}`, notARevision(`backend-${'0'.repeat(56)}`)],
    [
      'rollback staging backend backend-00041-wuz bad deploy',
      'rollback takes an environment and a service (and optionally a revision); put words of a reason after --reason.',
    ],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(rollback, text)).toBe(error);
  });
});
