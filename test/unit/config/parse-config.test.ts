import { stringify } from 'yaml';
import { type ConfigProblem, parseConfig } from '../../../src/config/load-config';
import { type Config, DEFAULT_PHASES } from '../../../src/config/schema';

type Data = Record<string, unknown>;

const staging = () => ({
  project: 'acme-staging',
  region: 'us-central1',
  sqlInstance: 'staging-db',
  services: ['backend'],
});

/** The smallest valid file with `patch` merged into the top level and `env` into environments.staging. */
const file = (patch: Data = {}, env: Data = {}): string =>
  stringify({ environments: { staging: { ...staging(), ...env } }, ...patch });

function configOf(text: string): Config {
  const result = parseConfig(text, 'warroom.yml');
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems, null, 2)}`);
  return result.config;
}

function problemsOf(text: string): ConfigProblem[] {
  const result = parseConfig(text, 'warroom.yml');
  if (result.ok) throw new Error('expected problems, but the config is valid');
  return result.problems;
}

describe('parseConfig', () => {
  it('takes the postmortem folder, and leaves the drafts off without it', () => {
    expect(configOf(file({ postmortem: { driveFolderId: '1AbCdEfGhIj_k-0' } })).postmortem).toEqual({
      driveFolderId: '1AbCdEfGhIj_k-0',
    });
    expect(configOf(file()).postmortem).toBeUndefined();
  });

  it('gives a minimal config (one environment) every default', () => {
    expect(configOf(file())).toEqual<Config>({
      environments: {
        staging: {
          name: 'staging',
          ...staging(),
          healthChecks: [],
          remediation: { approval: 'required' },
          verify: { steps: [] },
        },
      },
      contacts: [],
      escalation: { ackTimeoutMs: 15 * 60_000, executiveAfterMs: 4 * 3_600_000 },
      phases: [...DEFAULT_PHASES],
      access: { responders: 'anyone', approvers: 'anyone' },
      queue: { prefix: 'warroom', concurrency: 8 },
      incidents: { archiveOnClose: false },
    });
  });

  it('keeps environments, contacts and phases in file order', () => {
    const config = configOf(
      stringify({
        environments: { staging: staging(), production: { ...staging(), project: 'acme-production' } },
        contacts: {
          'infra-oncall': { tier: 'primary', slack: ['S0INFRA'] },
          'eng-leadership': { tier: 'executive', slack: ['U0VP'], note: 'Call after 4 hours' },
        },
        phases: { triage: '30m', fix: '1h30m', verify: '45m' },
      }),
    );
    expect(Object.keys(config.environments)).toEqual(['staging', 'production']);
    expect(config.environments.production.project).toBe('acme-production');
    expect(config.contacts).toEqual([
      { name: 'infra-oncall', tier: 'primary', slack: ['S0INFRA'] },
      { name: 'eng-leadership', tier: 'executive', slack: ['U0VP'], note: 'Call after 4 hours' },
    ]);
    expect(config.phases).toEqual([
      { name: 'triage', budgetMs: 1_800_000 },
      { name: 'fix', budgetMs: 5_400_000 },
      { name: 'verify', budgetMs: 2_700_000 },
    ]);
  });

  it('reads a contact reached in PagerDuty, alone or with Slack', () => {
    const config = configOf(
      stringify({
        environments: { staging: staging() },
        contacts: {
          'infra-oncall': {
            tier: 'primary',
            slack: ['S0INFRA'],
            pagerduty: { routingKeyEnv: 'INFRA_PD_ROUTING_KEY' },
          },
          'gcp-support': { tier: 'secondary', pagerduty: { routingKeyEnv: 'SUPPORT_PD_ROUTING_KEY' } },
        },
      }),
    );
    expect(config.contacts).toEqual([
      {
        name: 'infra-oncall',
        tier: 'primary',
        slack: ['S0INFRA'],
        pagerduty: { routingKeyEnv: 'INFRA_PD_ROUTING_KEY' },
      },
      {
        name: 'gcp-support',
        tier: 'secondary',
        slack: [],
        pagerduty: { routingKeyEnv: 'SUPPORT_PD_ROUTING_KEY' },
      },
    ]);
  });

  it('fills in the half of escalation, queue and access that the file leaves out', () => {
    const config = configOf(
      file({ escalation: { ackTimeout: '90s' }, queue: { concurrency: 2 }, access: { approvers: ['U0VP'] } }),
    );
    expect(config.escalation).toEqual({ ackTimeoutMs: 90_000, executiveAfterMs: 14_400_000 });
    expect(config.queue).toEqual({ prefix: 'warroom', concurrency: 2 });
    expect(config.access).toEqual({ responders: 'anyone', approvers: ['U0VP'] });
  });

  it('keeps an empty access list as "nobody", distinct from an omitted one', () => {
    expect(configOf(file({ access: { responders: [] } })).access.responders).toEqual([]);
  });

  it.each<[string, Data, Data]>([
    ['an environment without a connector (Direct VPC egress)', {}, {}],
    ['a 30-character project id', {}, { project: `a${'b'.repeat(28)}c` }],
    ['a region with several letters in its name', {}, { region: 'northamerica-northeast1' }],
    ['a 24-character connector name', {}, { connector: `c${'x'.repeat(23)}` }],
    ['a 49-character service name', {}, { services: [`s${'x'.repeat(47)}z`] }],
    ['an http health check', {}, { healthChecks: [{ name: 'backend', url: 'http://10.0.0.5:8080/health' }] }],
    ['remediation without approval', {}, { remediation: { approval: 'none' } }],
    [
      'Enterprise Grid user ids and user-group ids',
      { access: { responders: ['W0ABC', 'S0INFRA', 'U0VP'] } },
      {},
    ],
    ['a queue prefix with digits, hyphens and underscores', { queue: { prefix: 'war_room-2' } }, {}],
  ])('accepts %s', (_, patch, env) => {
    expect(parseConfig(file(patch, env), 'warroom.yml')).toMatchObject({ ok: true });
  });
});

describe('parseConfig validation', () => {
  const env = (key: string) => `environments.staging.${key}`;

  it.each<[string, Data, Data, string, string]>([
    // description, top-level patch, environments.staging patch, path, part of the message
    [
      'a project id that is too short',
      {},
      { project: 'acme' },
      env('project'),
      '"acme" is not a valid Google Cloud project id',
    ],
    [
      'a project id with capitals',
      {},
      { project: 'Acme-Staging' },
      env('project'),
      'Google Cloud project id',
    ],
    [
      'a project id ending in a hyphen',
      {},
      { project: 'acme-staging-' },
      env('project'),
      'Google Cloud project id',
    ],
    [
      'a project id starting with a digit',
      {},
      { project: '1acme-staging' },
      env('project'),
      'Google Cloud project id',
    ],
    [
      'a 31-character project id',
      {},
      { project: `a${'b'.repeat(30)}` },
      env('project'),
      'Google Cloud project id',
    ],
    ['a region in capitals', {}, { region: 'US-central1' }, env('region'), 'Google Cloud region'],
    ['a region without its number', {}, { region: 'us-central' }, env('region'), 'Google Cloud region'],
    ['a zone instead of a region', {}, { region: 'us-central1-a' }, env('region'), 'Google Cloud region'],
    [
      'a connector with an underscore',
      {},
      { connector: 'staging_connector' },
      env('connector'),
      'connector name',
    ],
    ['a 25-character connector', {}, { connector: `c${'x'.repeat(24)}` }, env('connector'), 'connector name'],
    [
      'a Cloud SQL connection name',
      {},
      { sqlInstance: 'acme-staging:us-central1:staging-db' },
      env('sqlInstance'),
      'Cloud SQL instance',
    ],
    [
      'a Cloud SQL instance ending in a hyphen',
      {},
      { sqlInstance: 'staging-db-' },
      env('sqlInstance'),
      'Cloud SQL instance',
    ],
    ['no services', {}, { services: [] }, env('services'), 'No services are listed'],
    [
      'a service name in capitals',
      {},
      { services: ['backend', 'Auth'] },
      env('services[1]'),
      '"Auth" is not a valid Cloud Run service name',
    ],
    [
      'a service name ending in a hyphen',
      {},
      { services: ['backend-'] },
      env('services[0]'),
      'Cloud Run service name',
    ],
    [
      'a 50-character service name',
      {},
      { services: [`s${'x'.repeat(49)}`] },
      env('services[0]'),
      'Cloud Run service name',
    ],
    [
      'a service listed twice',
      {},
      { services: ['backend', 'auth', 'backend'] },
      env('services[2]'),
      '"backend" is listed twice',
    ],
    [
      'a health check that is not http(s)',
      {},
      { healthChecks: [{ name: 'b', url: 'ftp://host/health' }] },
      env('healthChecks[0].url'),
      'health check URL',
    ],
    [
      'a health check URL without a scheme',
      {},
      { healthChecks: [{ name: 'b', url: 'backend/health' }] },
      env('healthChecks[0].url'),
      'health check URL',
    ],
    [
      'two health checks with one name',
      {},
      {
        healthChecks: [
          { name: 'b', url: 'https://a/' },
          { name: 'b', url: 'https://b/' },
        ],
      },
      env('healthChecks[1]'),
      '"b" is listed twice',
    ],
    [
      'a lowercase urlEnv',
      {},
      { database: { urlEnv: 'staging_database_url' } },
      env('database.urlEnv'),
      'environment variable name',
    ],
    [
      'an unknown approval mode',
      {},
      { remediation: { approval: 'maybe' } },
      env('remediation.approval'),
      '"maybe" is not an approval mode',
    ],
    [
      'an environment name with capitals',
      { environments: { Staging: staging() } },
      {},
      'environments.Staging',
      '"Staging" is not a valid environment name',
    ],
    [
      'a 31-character environment name',
      { environments: { [`e${'x'.repeat(30)}`]: staging() } },
      {},
      `environments.e${'x'.repeat(30)}`,
      'environment name',
    ],
    ['no environments', { environments: {} }, {}, 'environments', 'No environment is defined'],
    [
      'an unknown contact tier',
      { contacts: { boss: { tier: 'boss', slack: ['U0VP'] } } },
      {},
      'contacts.boss.tier',
      '"boss" is not a contact tier',
    ],
    [
      'a contact with a Slack handle',
      { contacts: { infra: { tier: 'primary', slack: ['@alice'] } } },
      {},
      'contacts.infra.slack[0]',
      'Slack user or user-group id',
    ],
    [
      'a contact with a lowercase id',
      { contacts: { infra: { tier: 'primary', slack: ['u0abc'] } } },
      {},
      'contacts.infra.slack[0]',
      'Slack user or user-group id',
    ],
    [
      'a contact with a channel id',
      { contacts: { infra: { tier: 'primary', slack: ['C0INCIDENTS'] } } },
      {},
      'contacts.infra.slack[0]',
      'Slack user or user-group id',
    ],
    [
      'a contact with nobody to page',
      { contacts: { infra: { tier: 'primary', slack: [] } } },
      {},
      'contacts.infra.slack',
      'No Slack ids are listed',
    ],
    [
      'a contact with neither Slack ids nor PagerDuty',
      { contacts: { infra: { tier: 'primary' } } },
      {},
      'contacts.infra',
      'The contact has no way to be reached',
    ],
    [
      'a PagerDuty routing key written in place of its variable',
      {
        contacts: {
          infra: { tier: 'primary', pagerduty: { routingKeyEnv: 'e93facc04764012d7bfb002500d5d1a6' } },
        },
      },
      {},
      'contacts.infra.pagerduty.routingKeyEnv',
      'environment variable name',
    ],
    [
      'a responder given by name',
      { access: { responders: ['alice'] } },
      {},
      'access.responders[0]',
      'Slack user or user-group id',
    ],
    [
      'an approver listed twice',
      { access: { approvers: ['U0VP', 'U0VP'] } },
      {},
      'access.approvers[1]',
      'listed twice',
    ],
    ['a queue prefix with a space', { queue: { prefix: 'war room' } }, {}, 'queue.prefix', 'queue prefix'],
    ['a queue prefix in a hash tag', { queue: { prefix: '{warroom}' } }, {}, 'queue.prefix', 'queue prefix'],
    ['zero concurrency', { queue: { concurrency: 0 } }, {}, 'queue.concurrency', 'out of range'],
    ['fractional concurrency', { queue: { concurrency: 1.5 } }, {}, 'queue.concurrency', 'out of range'],
    [
      'a yes/no string for a boolean',
      { incidents: { archiveOnClose: 'yes' } },
      {},
      'incidents.archiveOnClose',
      'Expected true or false',
    ],
    [
      'a Drive folder named by its URL',
      { postmortem: { driveFolderId: 'https://drive.google.com/drive/folders/1AbCdEf' } },
      {},
      'postmortem.driveFolderId',
      'Google Drive folder id',
    ],
    [
      'a postmortem without its folder',
      { postmortem: {} },
      {},
      'postmortem.driveFolderId',
      'required but missing',
    ],
  ])('rejects %s', (_, patch, envPatch, path, message) => {
    const problems = problemsOf(file(patch, envPatch));
    expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringContaining(message) })]);
    expect(problems[0].fix).toMatch(/^To resolve, /);
  });

  it.each<[string, Data, string]>([
    ['a bare number', { escalation: { ackTimeout: 15 } }, 'escalation.ackTimeout'],
    ['a number in quotes', { escalation: { ackTimeout: '15' } }, 'escalation.ackTimeout'],
    ['a phase without a unit', { phases: { diagnostic: '15' } }, 'phases.diagnostic'],
  ])('explains how to write a duration when given %s', (_, patch, path) => {
    expect(problemsOf(file(patch))).toEqual([
      {
        path,
        message: '"15" is not a duration: write it like 90s, 15m or 4h.',
        fix: expect.stringMatching(/^To resolve, .*unit/),
        line: expect.any(Number),
      },
    ]);
  });

  it.each<[string, Data, string, string]>([
    [
      'an acknowledgement timeout under a second',
      { escalation: { ackTimeout: '500ms' } },
      'escalation.ackTimeout',
      'too short',
    ],
    [
      'an unknown unit',
      { escalation: { executiveAfter: '4 hours' } },
      'escalation.executiveAfter',
      'is not a duration',
    ],
    ['a phase of no time at all', { phases: { diagnostic: '0s' } }, 'phases.diagnostic', 'too short'],
    ['an empty phase list', { phases: {} }, 'phases', 'No phase is defined'],
  ])('rejects %s', (_, patch, path, message) => {
    expect(problemsOf(file(patch))).toEqual([
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    ]);
  });

  it('names an unknown key and lists the keys allowed beside it', () => {
    const [problem] = problemsOf(file({}, { regoin: 'us-east1' }));
    expect(problem).toMatchObject({ path: 'environments.staging.regoin', message: 'Unknown key.' });
    expect(problem.fix).toContain(
      'project, region, connector, sqlInstance, services, healthChecks, database, remediation',
    );
  });

  it('reports each missing required key by its path', () => {
    const problems = problemsOf(stringify({ environments: { staging: { services: ['backend'] } } }));
    expect(problems.map((p) => p.path)).toEqual([
      'environments.staging.project',
      'environments.staging.region',
      'environments.staging.sqlInstance',
    ]);
    expect(problems[0]).toMatchObject({
      message: 'This key is required but missing.',
      fix: expect.stringContaining('acme-staging'),
    });
  });

  it('asks for environments when the file has none', () => {
    expect(problemsOf('contacts: {}\n')).toEqual([
      expect.objectContaining({ path: 'environments', message: 'This key is required but missing.' }),
    ]);
  });

  it('lists every problem at once with the path and line of each bad key', () => {
    const text = [
      'environments:',
      '  staging:',
      '    project: Acme',
      '    region: us-central1',
      '    sqlInstance: staging-db',
      '    services: [backend, backend]',
      'escalation: { ackTimeout: 15 }',
      'colour: blue',
    ].join('\n');
    expect(problemsOf(text).map(({ path, line }) => [path, line])).toEqual([
      ['environments.staging.project', 3],
      ['environments.staging.services[1]', 6],
      ['escalation.ackTimeout', 7],
      ['colour', 8],
    ]);
  });
});

describe('parseConfig with a secret in the file', () => {
  const dsn = 'postgres://admin:hunter2@10.20.0.3:5432/app';

  it.each<[string, Data, Data, string]>([
    ['a DSN as urlEnv', {}, { database: { urlEnv: dsn } }, 'environments.staging.database.urlEnv'],
    ['a DSN under a key of its own', {}, { database: { url: dsn } }, 'environments.staging.database.url'],
    [
      'a key=value DSN',
      {},
      { database: { urlEnv: 'host=10.20.0.3 user=admin password=hunter2' } },
      'environments.staging.database.urlEnv',
    ],
    [
      'a health check URL with a password',
      {},
      { healthChecks: [{ name: 'b', url: 'https://ops:hunter2@b.example.com/health' }] },
      'environments.staging.healthChecks[0].url',
    ],
    [
      'a DSN in a contact note',
      { contacts: { dba: { tier: 'secondary', slack: ['U0DBA'], note: `try ${dsn}` } } },
      {},
      'contacts.dba.note',
    ],
  ])('rejects %s without repeating the password', (_, patch, env, path) => {
    const problems = problemsOf(file(patch, env));
    expect(problems).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining('connection string (DSN)') }),
    );
    expect(problems.find((p) => p.path === path)?.fix).toContain('environments.staging.database.urlEnv');
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('reports the secret once, not again as a malformed value', () => {
    expect(problemsOf(file({}, { database: { urlEnv: dsn } }))).toHaveLength(1);
  });
});

describe('parseConfig with broken YAML', () => {
  it('gives the line and column of a syntax error', () => {
    const text = [
      'environments:',
      '  staging:',
      '    project: "acme-staging',
      '    region: us-central1',
    ].join('\n');
    const [first] = problemsOf(text);
    expect(first).toMatchObject({
      path: '(file)',
      message: expect.stringMatching(/^YAML syntax error at line \d+, column \d+/),
    });
    expect(first.fix).toMatch(/^To resolve, /);
  });

  it('reports a duplicate key at the line of the second one', () => {
    const text = 'environments:\n  staging: {}\nqueue: {}\nenvironments:\n  production: {}\n';
    const [first] = problemsOf(text);
    expect(first).toMatchObject({ path: '(file)', message: expect.stringContaining('line 4, column 1') });
    expect(first.fix).toContain('merge the two entries');
  });

  it('reports tabs used for indentation', () => {
    const [first] = problemsOf('environments:\n\tstaging: {}\n');
    expect(first.fix).toContain('spaces, not tabs');
  });

  it('lists syntax errors first, then the schema problems of what could be read', () => {
    const text = 'environments:\n  staging: { project: acme\nqueue: { concurrency: 0 }\n';
    const problems = problemsOf(text);
    expect(problems[0].path).toBe('(file)');
    expect(problems.slice(1).length).toBeGreaterThan(0);
  });

  it('refuses a file that expands too far through aliases', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of ['b', 'c', 'd']) {
      const previous = levels.length === 1 ? 'a' : String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    levels.push(`e: [${Array(10).fill('*d').join(', ')}]`);
    expect(problemsOf(levels.join('\n'))).toEqual([
      expect.objectContaining({ path: '(file)', fix: expect.stringContaining('YAML aliases') }),
    ]);
  });

  it('says so when the file is empty', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      {
        path: '(file)',
        message: 'warroom.yml is empty.',
        fix: expect.stringContaining('warroom.example.yml'),
      },
    ]);
  });

  it('rejects a file that is a list rather than a mapping', () => {
    expect(problemsOf('- staging\n')).toEqual([
      expect.objectContaining({ path: '(file)', message: expect.stringContaining('found a list') }),
    ]);
  });
});
