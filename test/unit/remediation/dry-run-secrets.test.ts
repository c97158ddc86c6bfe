import fc from 'fast-check';
import type { CloudRunService } from '../../../src/gcp/cloud-gateway';
import { bodyForDisplay, describeChanges, restartBody, rollbackBody } from '../../../src/remediation/plan';
import type { RemediationRequest } from '../../../src/remediation/remediation';
import { renderRemediation } from '../../../src/remediation/render-remediation';

const NAME = 'projects/acme-staging/locations/us-central1/services/backend';
const DSN = 'postgres://app:s3cr3t-Hunter2@10.20.0.3:5432/app';

/** A service as Cloud Run answers GET: a DSN in an env var and a secret reference. */
const service: CloudRunService = {
  name: NAME,
  etag: '"7"',
  template: {
    revision: 'backend-00042-kav',
    containers: [
      {
        image: 'app:1',
        env: [
          { name: 'DATABASE_URL', value: DSN },
          {
            name: 'API_KEY',
            valueSource: { secretKeyRef: { secret: 'projects/1/secrets/openai-key', version: '3' } },
          },
        ],
      },
    ],
  },
};

const dryRun = (body: string, changes?: string[]): RemediationRequest => ({
  id: 'r0123456789',
  action: 'restart',
  environment: 'staging',
  service: 'backend',
  dryRun: true,
  requestedBy: 'U0RESP',
  channelId: 'C01',
  requestedAt: '2026-12-03T10:00:00.000Z',
  approval: 'none',
  state: 'previewed',
  outcome: 'Dry run: nothing was changed.',
  progress: [],
  body,
  ...(changes ? { changes } : {}),
});

describe('a dry run of a service with secrets in its environment', () => {
  it.each([
    ['restart', () => restartBody(service, 'r0123456789')],
    ['rollback', () => rollbackBody(service, 'backend-00041-wuz', 'r0123456789')],
  ])('shows and stores the %s body with env names and no values', (_, build) => {
    const shown = bodyForDisplay(build());
    const message = JSON.stringify(renderRemediation(dryRun(shown)));
    for (const text of [shown, message]) {
      expect(text).not.toContain('s3cr3t-Hunter2');
      expect(text).not.toContain('openai-key');
      expect(text).toContain('DATABASE_URL');
      expect(text).toContain('API_KEY');
      expect(text).toContain('(value hidden)');
    }
  });

  it('shows an outcome and progress without the credentials they quote', () => {
    const quoted = `could not connect to ${DSN}; Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2ln`;
    const failed: RemediationRequest = {
      ...dryRun(''),
      dryRun: false,
      state: 'failed',
      outcome: `failed: ${quoted}`,
      progress: [{ at: '2026-12-03T10:00:01.000Z', text: `Google Cloud did not answer (${quoted})` }],
    };
    const message = JSON.stringify(renderRemediation(failed));
    expect(message).toContain('could not connect to postgres://app:[redacted]@10.20.0.3');
    expect(message).not.toContain('s3cr3t-Hunter2');
    expect(message).not.toContain('eyJhbGciOi.eyJzdWIiOi');
  });

  it('still sends the real values to Google', () => {
    const body = restartBody(service, 'r0123456789');
    expect(body.template?.containers?.[0]?.env?.[0]?.value).toBe(DSN);
    expect(body.template?.containers?.[0]?.env?.[1]?.valueSource?.secretKeyRef?.secret).toBe(
      'projects/1/secrets/openai-key',
    );
  });
});

/** Begins every generated secret: nothing else in a body or a message can contain it by chance. */
const MARK = 'QZXSECRETMARK';
const secret = fc.string({ maxLength: 40 }).map((text) => `${MARK}${text}`);
/** Keys a deployer might choose; never one whose value is shown on purpose (run.googleapis.com/…). */
const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\/[a-z0-9-]{1,10})?$/);
const map = fc.dictionary(key, secret, { maxKeys: 4 });

const envVar = fc.oneof(
  fc.record({ name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/), value: secret }),
  fc.record({
    name: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/),
    valueSource: fc.record({ secretKeyRef: fc.record({ secret, version: secret }) }),
  }),
);

const anyService: fc.Arbitrary<CloudRunService> = fc
  .record({
    annotations: map,
    labels: map,
    buildEnv: map,
    template: fc.record({
      annotations: map,
      labels: map,
      containers: fc.array(
        fc.record({
          image: fc.constant('us-docker.pkg.dev/acme/apps/backend:1'),
          env: fc.array(envVar, { maxLength: 5 }),
          command: fc.array(secret, { maxLength: 2 }),
          args: fc.array(secret, { maxLength: 4 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  })
  .map(({ buildEnv, template, ...rest }) => ({
    ...rest,
    name: 'projects/acme-staging/locations/us-central1/services/backend',
    etag: '"7"',
    template: { ...template, revision: 'backend-00042-kav' },
    buildConfig: { environmentVariables: buildEnv },
  }));

describe('a dry run, for any service', () => {
  it('shows no env value, secret reference, annotation or label value, or argument, in the body or the message', () => {
    fc.assert(
      fc.property(
        anyService,
        fc.constantFrom('restart', 'rollback') as fc.Arbitrary<'restart' | 'rollback'>,
        (s, action) => {
          const body =
            action === 'restart'
              ? restartBody(s, 'r0123456789')
              : rollbackBody(s, 'backend-00041-wuz', 'r0123456789');
          const shown = bodyForDisplay(body);
          const message = JSON.stringify(
            renderRemediation(dryRun(shown, describeChanges(action, s, 'r0123456789', 'backend-00041-wuz'))),
          );
          expect(shown).not.toContain(MARK);
          expect(message).not.toContain(MARK);
          // The names are still there to read.
          for (const container of s.template?.containers ?? [])
            for (const env of container.env ?? []) expect(shown).toContain(`"name": "${env.name}"`);
          // And the body sent keeps every value.
          expect(JSON.stringify(body).includes(MARK)).toBe(JSON.stringify(s).includes(MARK));
        },
      ),
      { numRuns: 300 },
    );
  });
});
