import { grantOf, projectNumberOf, readPolicy } from '../../../src/diag/checks/iam-policy';
import { judgeSqlIam, type SqlIamEvidence, sqlIamCheck } from '../../../src/diag/checks/sql-iam';
import type { CheckContext } from '../../../src/diag/finding';
import { SQL_CONNECT_ROLES } from '../../../src/diag/path-wording';
import { type CloudGateway, type CloudRunService, GcpError } from '../../../src/gcp/cloud-gateway';

const BACKEND = 'backend-run@acme-staging.iam.gserviceaccount.com';
const AUTH = 'auth-run@acme-staging.iam.gserviceaccount.com';
const COMPUTE = '123456789012-compute@developer.gserviceaccount.com';
const sa = (email: string) => `serviceAccount:${email}`;

/** A Cloud Run service as `services.get` returns it: its runtime account and, optionally, a Cloud SQL volume. */
const service = (account: string | null, cloudSql = false): CloudRunService => ({
  template: {
    ...(account === null ? {} : { serviceAccount: account }),
    ...(cloudSql
      ? {
          volumes: [
            { name: 'cloudsql', cloudSqlInstance: { instances: ['acme-staging:us-central1:staging-db'] } },
          ],
        }
      : {}),
  },
});

function evidence(
  bindings: unknown,
  services: Record<string, CloudRunService | null> = { backend: service(BACKEND), auth: service(AUTH) },
  /** null: projects.get failed. */
  projectNumber: string | null = '123456789012',
): SqlIamEvidence {
  return {
    project: 'acme-staging',
    ...(projectNumber === null ? {} : { projectNumber }),
    services: Object.entries(services).map(([name, resource]) => ({ name, resource })),
    policy: { version: 1, etag: 'BwYh3Zc1k9A=', bindings },
  };
}
const client = (...members: string[]) => ({ role: 'roles/cloudsql.client', members });

describe('iam judge', () => {
  it.each<[string, SqlIamEvidence, string, RegExp, Record<string, unknown>]>([
    [
      'passes when every runtime account holds roles/cloudsql.client',
      evidence([client(sa(BACKEND), sa(AUTH))]),
      'ok',
      /^backend-run@…, auth-run@… hold roles\/cloudsql\.client$/,
      { sqlIamMissing: 0, sqlIamAccounts: null, sqlIamNeeded: false },
    ],
    [
      'accepts roles/editor and roles/owner as granting the connection, naming each',
      evidence([
        { role: 'roles/editor', members: [sa(BACKEND)] },
        { role: 'roles/owner', members: [sa(AUTH)] },
      ]),
      'ok',
      /^backend-run@… holds roles\/editor; auth-run@… holds roles\/owner$/,
      { sqlIamMissing: 0 },
    ],
    [
      'compares members case-insensitively',
      evidence([client('serviceaccount:Backend-Run@ACME-staging.iam.gserviceaccount.com', sa(AUTH))]),
      'ok',
      /hold roles\/cloudsql\.client/,
      { sqlIamMissing: 0 },
    ],
    [
      'fails when an account lacks every role and its service has a Cloud SQL volume',
      evidence([client(sa(AUTH))], { backend: service(BACKEND, true), auth: service(AUTH) }),
      'fail',
      /^backend-run@acme-staging\.iam\.gserviceaccount\.com \(backend\) lacks roles\/cloudsql\.client, needed for the Cloud SQL connection of backend$/,
      { sqlIamMissing: 1, sqlIamAccounts: BACKEND, sqlIamNeeded: true },
    ],
    [
      'names only the volumes of the accounts that lack the role',
      evidence([client(sa(AUTH))], { backend: service(BACKEND, true), auth: service(AUTH, true) }),
      'fail',
      /\(backend\) lacks roles\/cloudsql\.client, needed for the Cloud SQL connection of backend$/,
      { sqlIamMissing: 1, sqlIamNeeded: true },
    ],
    [
      'passes when the account without the role has no volume, even if another service has one',
      evidence([client(sa(AUTH))], { backend: service(BACKEND), auth: service(AUTH, true) }),
      'ok',
      /\(backend\) lacks roles\/cloudsql\.client, needed only for .* \(no service of that account has a Cloud SQL volume\)$/,
      { sqlIamMissing: 1, sqlIamNeeded: false },
    ],
    [
      'passes, saying the role is missing, when no service has a Cloud SQL volume',
      evidence([client(sa(AUTH))]),
      'ok',
      /^backend-run@acme-staging\.iam\.gserviceaccount\.com \(backend\) lacks roles\/cloudsql\.client, needed only for the Cloud SQL connector, Auth Proxy or connector libraries/,
      { sqlIamMissing: 1, sqlIamAccounts: BACKEND, sqlIamNeeded: false },
    ],
    [
      'does not count a role outside the list (roles/cloudsql.viewer cannot connect)',
      evidence([{ role: 'roles/cloudsql.viewer', members: [sa(BACKEND), sa(AUTH)] }]),
      'ok',
      /lack roles\/cloudsql\.client/,
      { sqlIamMissing: 2, sqlIamAccounts: `${BACKEND},${AUTH}` },
    ],
    [
      'reads the default compute account with the number from projects.get',
      evidence([client(sa(AUTH))], { backend: service(null, true), auth: service(AUTH) }),
      'fail',
      /^123456789012-compute@developer\.gserviceaccount\.com \(backend\) lacks/,
      { sqlIamAccounts: COMPUTE, 'account:backend': COMPUTE, projectNumber: '123456789012' },
    ],
    [
      'takes the project number from a compute account in the policy when projects.get failed',
      evidence(
        [
          client(sa(AUTH)),
          { role: 'roles/editor', members: [sa('555000111222-compute@developer.gserviceaccount.com')] },
        ],
        { backend: service(null, true), auth: service(AUTH) },
        null,
      ),
      'ok',
      /^555000111222-compute@… holds roles\/editor; auth-run@… holds roles\/cloudsql\.client$/,
      { sqlIamMissing: 0, projectNumber: '555000111222' },
    ],
    [
      'writes PROJECT_NUMBER when neither projects.get nor the policy gives the number',
      evidence([client(sa(AUTH))], { backend: service(null, true), auth: service(AUTH) }, null),
      'fail',
      /^PROJECT_NUMBER-compute@developer\.gserviceaccount\.com \(backend\) lacks/,
      { sqlIamAccounts: 'PROJECT_NUMBER-compute@developer.gserviceaccount.com', projectNumber: null },
    ],
    [
      'counts a conditional binding as granted',
      evidence([
        client(sa(AUTH)),
        {
          ...client(sa(BACKEND)),
          condition: { title: 'office hours', expression: 'request.time.getHours("UTC") < 18' },
        },
      ]),
      'ok',
      /hold roles\/cloudsql\.client$/,
      { sqlIamMissing: 0 },
    ],
    [
      'warns, not fails, when only a group binding may grant the role',
      evidence([client(sa(AUTH)), client('group:staging-runtime@acme.example')], {
        backend: service(BACKEND, true),
        auth: service(AUTH, true),
      }),
      'warn',
      /^backend-run@acme-staging\.iam\.gserviceaccount\.com has no direct grant; the role may come through group:staging-runtime@acme\.example$/,
      { sqlIamMissing: 0, sqlIamAccounts: null, sqlIamNeeded: false },
    ],
    [
      'counts a domain binding like a group',
      evidence([{ role: 'roles/cloudsql.editor', members: ['domain:acme.example'] }]),
      'warn',
      /may come through domain:acme\.example$/,
      { sqlIamMissing: 0 },
    ],
    [
      'skips a service that does not exist',
      evidence([client(sa(AUTH))], { backend: null, auth: service(AUTH, true) }),
      'ok',
      /^auth-run@… holds roles\/cloudsql\.client$/,
      { sqlIamMissing: 0, sqlIamNeeded: false },
    ],
    [
      'is skipped when no configured service exists',
      evidence([client(sa(AUTH))], { backend: null, auth: null }),
      'skipped',
      /none of the configured services exists/,
      {},
    ],
    [
      'treats a policy without bindings as granting nothing',
      evidence(undefined, { backend: service(BACKEND, true) }),
      'fail',
      /lacks roles\/cloudsql\.client/,
      { sqlIamMissing: 1 },
    ],
  ])('%s', (_title, input, status, summary, signals) => {
    const finding = judgeSqlIam(input);
    expect(finding.check).toBe('iam');
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
    expect(finding.evidence).toMatchObject(signals);
  });

  it('names the condition of a conditional grant in the details', () => {
    const details = judgeSqlIam(
      evidence([
        client(sa(AUTH)),
        { ...client(sa(BACKEND)), condition: { title: 'office hours', expression: 'x' } },
      ]),
    ).details;
    expect(details).toContain(
      'backend runs as backend-run@acme-staging.iam.gserviceaccount.com; it holds roles/cloudsql.client only under the condition "office hours": counted as granted, but the connection fails whenever the condition does not hold.',
    );
  });

  it('says the grant may come through the group', () => {
    const details = judgeSqlIam(
      evidence([client(sa(AUTH)), client('group:staging-runtime@acme.example')]),
    ).details;
    expect(details.join('\n')).toContain(
      'it has no direct grant, but group:staging-runtime@acme.example holds roles/cloudsql.client: the grant may come through that group',
    );
  });

  it('says inherited grants were not read when something is missing, and not otherwise', () => {
    const inherited = /folder or the organisation are not in the project's policy/;
    expect(judgeSqlIam(evidence([client(sa(AUTH))])).details.join('\n')).toMatch(inherited);
    expect(judgeSqlIam(evidence([client(sa(AUTH), sa(BACKEND))])).details.join('\n')).not.toMatch(inherited);
  });

  it('says so when the default compute account is written with PROJECT_NUMBER', () => {
    const details = judgeSqlIam(evidence([], { backend: service(null) }, null)).details.join('\n');
    expect(details).toContain('The project number could not be read');
    expect(details).toContain("gcloud projects describe acme-staging --format='value(projectNumber)'");
  });

  it('lists every role it accepts when an account holds none', () => {
    const details = judgeSqlIam(evidence([client(sa(AUTH))])).details.join('\n');
    expect(details).toContain(
      "backend runs as backend-run@acme-staging.iam.gserviceaccount.com; the project's policy grants it none of roles/cloudsql.client, roles/cloudsql.admin, roles/cloudsql.editor, roles/editor, roles/owner.",
    );
  });

  it('survives malformed bindings, skipping them and saying how many', () => {
    const finding = judgeSqlIam(
      evidence([
        null,
        'roles/owner',
        { role: 42, members: [sa(BACKEND)] },
        { role: 'roles/cloudsql.client', members: sa(BACKEND) },
        { role: 'roles/cloudsql.client', members: [7, null, sa(AUTH)] },
      ]),
    );
    expect(finding.evidence).toMatchObject({ sqlIamMissing: 1, sqlIamAccounts: BACKEND });
    expect(finding.details).toContain(
      '4 malformed bindings of the policy were skipped (no role or no member list).',
    );
  });

  it.each<[string, unknown]>([
    ['bindings that are not a list', { bindings: { role: 'roles/owner' } }],
    ['bindings that are a string', { bindings: 'roles/owner' }],
  ])('answers unknown, never throws, on %s', (_title, policy) => {
    const finding = judgeSqlIam({ ...evidence([]), policy });
    expect(finding.status).toBe('unknown');
    expect(finding.cannotRun?.reason).toMatch(/malformed answer/);
  });

  it('reads a policy that is not an object as granting nothing', () => {
    expect(readPolicy(null)).toEqual({ bindings: [], skipped: 0 });
    expect(readPolicy('policy')).toEqual({ bindings: [], skipped: 0 });
  });
});

describe('iam policy reading', () => {
  const bindings =
    readPolicy({
      bindings: [
        { role: 'roles/cloudsql.admin', members: [sa(BACKEND)], condition: { title: 'temporary' } },
        { role: 'roles/editor', members: [sa(BACKEND)] },
      ],
    })?.bindings ?? [];

  it('prefers an unconditional grant to a conditional one', () => {
    expect(grantOf(BACKEND, bindings, SQL_CONNECT_ROLES)).toEqual({ kind: 'direct', role: 'roles/editor' });
  });

  it('names a condition by its expression when it has no title', () => {
    const [only] =
      readPolicy({ bindings: [{ ...client(sa(AUTH)), condition: { expression: 'true' } }] })?.bindings ?? [];
    expect(only?.condition).toBe('true');
  });

  it.each<[unknown, string | undefined]>([
    ['projects/123456789012', '123456789012'],
    ['projects/acme-staging', undefined],
    [undefined, undefined],
    [42, undefined],
  ])('reads the project number of %j', (name, number) => {
    expect(projectNumberOf(name)).toBe(number);
  });
});

describe('iam check', () => {
  const denied = () => Promise.reject(new GcpError('denied', 'permission-denied', 403));
  /** The three calls the check makes; each test replaces the ones it breaks. */
  function context(calls: Partial<Pick<CloudGateway, 'getProjectIamPolicy' | 'getProject' | 'getService'>>) {
    const gateway = {
      getProjectIamPolicy: async () => ({ bindings: [client(sa(BACKEND))] }),
      getProject: async () => ({ name: 'projects/123456789012' }),
      getService: async () => service(BACKEND, true),
      ...calls,
    } as unknown as CloudGateway;
    const environment = { project: 'acme-staging', region: 'us-central1', services: ['backend'] };
    return {
      environmentName: 'staging',
      environment: environment as unknown as CheckContext['environment'],
      gateway,
      signal: new AbortController().signal,
      now: new Date('2026-01-15T10:00:00Z'),
      env: {},
    } satisfies CheckContext;
  }

  it('answers unknown naming roles/iam.securityReviewer when getIamPolicy is denied', async () => {
    const finding = await sqlIamCheck.run(context({ getProjectIamPolicy: denied }));
    expect(finding.status).toBe('unknown');
    expect(finding.cannotRun).toEqual({
      reason: 'permission denied (resourcemanager.projects.getIamPolicy)',
      fix: "grant roles/iam.securityReviewer to Warroom's service account",
    });
  });

  it('still judges when projects.get is denied', async () => {
    const finding = await sqlIamCheck.run(context({ getProject: denied }));
    expect(finding.status).toBe('ok');
    expect(finding.summary).toBe('backend-run@… holds roles/cloudsql.client');
  });

  it('skips a service that is not found', async () => {
    const missing = () => Promise.reject(new GcpError('no such service', 'not-found', 404));
    const finding = await sqlIamCheck.run(context({ getService: missing }));
    expect(finding.status).toBe('skipped');
    expect(finding.details).toEqual(['backend not found: skipped (see cloud-run).']);
  });
});
