import { join } from 'node:path';
import { type ConfigProblem, formatProblems, loadConfig } from '../../../src/config/load-config';

const EXAMPLE = join(__dirname, '../../../warroom.example.yml');

describe('loadConfig', () => {
  it('reads warroom.example.yml as a valid config modelled on the staging outage', async () => {
    const result = await loadConfig(EXAMPLE);
    if (!result.ok) throw new Error(formatProblems(result.problems, EXAMPLE));
    const { environments, contacts, escalation, phases, access } = result.config;
    expect(environments.staging).toMatchObject({
      project: 'acme-staging',
      region: 'us-central1',
      connector: 'staging-connector',
      sqlInstance: 'staging-db',
      services: ['backend', 'auth', 'ai'],
      database: { urlEnv: 'STAGING_DATABASE_URL' },
      remediation: { approval: 'required' },
    });
    expect(environments.staging.healthChecks.map((check) => check.name)).toEqual(['backend', 'auth', 'ai']);
    expect(contacts.map((contact) => contact.tier)).toEqual([
      'primary',
      'secondary',
      'business',
      'executive',
    ]);
    expect(escalation).toEqual({ ackTimeoutMs: 900_000, executiveAfterMs: 14_400_000 });
    expect(phases.map((phase) => phase.budgetMs)).toEqual([3_600_000, 7_200_000, 3_600_000]);
    expect(access).toEqual({ responders: ['S0INFRA'], approvers: ['S0INFRA', 'U0VP'] });
  });

  it('names a missing file and says how to create it', async () => {
    const path = join(__dirname, 'no-such-dir', 'warroom.yml');
    expect(await loadConfig(path)).toEqual({
      ok: false,
      problems: [
        {
          path: '(file)',
          message: `No config file at ${path}.`,
          fix: expect.stringMatching(/copy warroom\.example\.yml to .*warroom\.yml.*WARROOM_CONFIG/),
        },
      ],
    });
  });

  it('reports a directory given as the config file', async () => {
    const result = await loadConfig(__dirname);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: '(file)', message: expect.stringContaining('EISDIR') }],
    });
  });
});

describe('formatProblems', () => {
  const problems: ConfigProblem[] = [
    {
      path: '(file)',
      message: 'YAML syntax error at line 2, column 1: Tabs are not allowed as indentation.',
      fix: 'To resolve, indent with spaces, not tabs.',
      line: 2,
    },
    {
      path: 'environments.staging.region',
      message: '"US" is not a valid Google Cloud region.',
      fix: 'To resolve, write it like us-central1.',
      line: 6,
    },
    { path: 'PORT', message: 'PORT "http" is not a port number.', fix: 'To resolve, set it to a number.' },
  ];

  it('heads the block with the source and puts one problem per line', () => {
    expect(formatProblems(problems, 'warroom.yml').split('\n')).toEqual([
      'warroom.yml: 3 problems',
      '  (file): YAML syntax error at line 2, column 1: Tabs are not allowed as indentation. To resolve, indent with spaces, not tabs.',
      '  environments.staging.region (line 6): "US" is not a valid Google Cloud region. To resolve, write it like us-central1.',
      '  PORT: PORT "http" is not a port number. To resolve, set it to a number.',
    ]);
  });

  it('says "1 problem" for one', () => {
    expect(formatProblems(problems.slice(2), 'environment')).toMatch(/^environment: 1 problem\n/);
  });
});
