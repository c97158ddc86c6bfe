import { diagnosisBed } from './diagnose-staging';

const grant = (account: string) =>
  `gcloud projects add-iam-policy-binding acme-staging --member=serviceAccount:${account} --role=roles/cloudsql.client`;

describe('/incident diag staging when the runtime service account may not connect to Cloud SQL', () => {
  const { diagnose } = diagnosisBed();

  it('names the refused Cloud SQL connection and the grant for backend-app', async () => {
    const { text, blocks, thread } = await diagnose('sql-iam-denied', 'iam-1');
    expect(text).toContain(
      "verdict: sql-iam-denied — The services' service account may not connect to Cloud SQL staging-db",
    );
    expect(blocks).toContain('logged 48 refusals (NOT_AUTHORIZED');
    expect(blocks).toContain(
      `*Next step:* Grant the Cloud SQL Client role: \`${grant('backend-app@acme-staging.iam.gserviceaccount.com')}\``,
    );
    expect(blocks).toContain(
      '*iam* — backend-app@acme-staging.iam.gserviceaccount.com (backend) lacks roles/cloudsql.client, needed for the Cloud SQL connection of backend',
    );
    expect(blocks).toContain('48 Cloud SQL not authorized (NOT_AUTHORIZED)');
    const logs = thread.find((reply) => reply.includes('*logs*'));
    expect(logs).toContain('backend: 48 Cloud SQL connections not authorized');
    expect(logs).toContain('boss::NOT_AUTHORIZED');
  });

  it('blames the policy when the default compute account holds no role and nothing else explains the failure', async () => {
    const { text, blocks } = await diagnose('sql-iam-policy', 'iam-2');
    expect(text).toContain('verdict: sql-iam-denied ');
    expect(blocks).toContain(
      `*Next step:* Grant the Cloud SQL Client role: \`${grant('123456789012-compute@developer.gserviceaccount.com')}\``,
    );
    expect(blocks).toContain(
      'needed only for the Cloud SQL connector, Auth Proxy or connector libraries (no service of that account has a Cloud SQL volume)',
    );
  });

  it('keeps a healthy staging at no-fault-found when the policy cannot be read, naming the role to grant', async () => {
    const { text, blocks } = await diagnose('iam-denied', 'iam-3');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toContain(
      "iam: permission denied (resourcemanager.projects.getIamPolicy) — grant roles/iam.securityReviewer to Warroom's service account",
    );
  });

  it('says every runtime account holds the role on a healthy staging', async () => {
    const { text, blocks } = await diagnose('healthy', 'iam-4');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toContain('*iam* — backend-run@…, auth-run@…, ai-run@… hold roles/cloudsql.client');
  });
});
