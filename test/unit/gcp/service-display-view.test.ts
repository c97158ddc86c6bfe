import type { CloudRunService } from '../../../src/gcp/cloud-gateway';
import { HIDDEN, serviceDisplayView } from '../../../src/gcp/service-display-view';

const NAME = 'projects/acme-staging/locations/us-central1/services/backend';
const base: CloudRunService = { name: NAME, etag: '"7"', template: { revision: 'backend-00042-kav' } };
const withTemplate = (template: CloudRunService['template']): CloudRunService => ({
  ...base,
  template: { ...base.template, ...template },
});
const OPTIONS = { visibleKeys: ['warroom.dev/request'] };

describe('the display view of a Cloud Run service', () => {
  it.each<[string, CloudRunService, Record<string, unknown>]>([
    [
      'an env var with a literal value: its name only',
      withTemplate({
        containers: [{ image: 'app:1', env: [{ name: 'DATABASE_URL', value: 'postgres://a:b@h/d' }] }],
      }),
      { template: { containers: [{ image: 'app:1', env: [{ name: 'DATABASE_URL', value: HIDDEN }] }] } },
    ],
    [
      'an env var from Secret Manager: its name, not the reference',
      withTemplate({
        containers: [
          {
            env: [
              {
                name: 'API_KEY',
                value: '',
                valueSource: { secretKeyRef: { secret: 'openai', version: '3' } },
              },
            ],
          },
        ],
      }),
      { template: { containers: [{ env: [{ name: 'API_KEY', valueSource: HIDDEN }] }] } },
    ],
    [
      'command and args: how many, not what',
      withTemplate({ containers: [{ command: ['/bin/app'], args: ['--password=x', '--verbose'] }] }),
      { template: { containers: [{ command: '(1 value hidden)', args: '(2 arguments hidden)' }] } },
    ],
    [
      'an HTTP probe header: its name only',
      withTemplate({
        containers: [
          {
            startupProbe: {
              httpGet: { path: '/healthz', httpHeaders: [{ name: 'Authorization', value: 'Bearer x' }] },
            },
          },
        ],
      }),
      {
        template: {
          containers: [
            {
              startupProbe: {
                httpGet: { path: '/healthz', httpHeaders: [{ name: 'Authorization', value: HIDDEN }] },
              },
            },
          ],
        },
      },
    ],
    [
      'service annotations and labels: keys, and values of Google’s own keys only',
      {
        ...base,
        annotations: { 'run.googleapis.com/launch-stage': 'BETA', 'deploy/webhook': 'https://x?sig=1' },
        labels: { team: 'core', 'cloud.googleapis.com/location': 'us-central1' },
      },
      {
        annotations: { 'run.googleapis.com/launch-stage': 'BETA', 'deploy/webhook': HIDDEN },
        labels: { team: HIDDEN, 'cloud.googleapis.com/location': HIDDEN },
      },
    ],
    [
      'template annotations: Knative scaling and Warroom’s request shown, the rest hidden',
      withTemplate({
        annotations: {
          'autoscaling.knative.dev/maxScale': '10',
          'warroom.dev/request': 'r0123456789',
          'vault.hashicorp.com/token': 's.abc',
        },
        labels: { 'client-secret': 'x' },
      }),
      {
        template: {
          annotations: {
            'autoscaling.knative.dev/maxScale': '10',
            'warroom.dev/request': 'r0123456789',
            'vault.hashicorp.com/token': HIDDEN,
          },
          labels: { 'client-secret': HIDDEN },
        },
      },
    ],
    [
      'a secret volume: its name, not the secret',
      withTemplate({
        volumes: [{ name: 'creds', secret: { secret: 'sa-key', items: [{ path: 'k', version: '1' }] } }],
      }),
      { template: { volumes: [{ name: 'creds', secret: HIDDEN }] } },
    ],
    [
      'build env vars: names only',
      { ...base, buildConfig: { environmentVariables: { NPM_TOKEN: 'npm_abc', NODE_ENV: 'production' } } },
      { buildConfig: { environmentVariables: { NPM_TOKEN: HIDDEN, NODE_ENV: HIDDEN } } },
    ],
    [
      'what carries no secret: as it is',
      withTemplate({
        containers: [{ image: 'app:1', ports: [{ containerPort: 8080 }] }],
        vpcAccess: { connector: 'staging-connector' },
        serviceAccount: 'backend-run@acme.iam.gserviceaccount.com',
      }),
      {
        name: NAME,
        etag: '"7"',
        template: {
          revision: 'backend-00042-kav',
          containers: [{ image: 'app:1', ports: [{ containerPort: 8080 }] }],
          vpcAccess: { connector: 'staging-connector' },
          serviceAccount: 'backend-run@acme.iam.gserviceaccount.com',
        },
      },
    ],
  ])('shows %s', (_, service, expected) => {
    expect(serviceDisplayView(service, OPTIONS)).toMatchObject(expected);
  });

  it('shows Warroom’s request annotation only when asked to', () => {
    const service = withTemplate({ annotations: { 'warroom.dev/request': 'r0123456789' } });
    expect(serviceDisplayView(service)).toMatchObject({
      template: { annotations: { 'warroom.dev/request': HIDDEN } },
    });
  });

  it('leaves the service it was given as it was: that one is sent to Google', () => {
    const service = withTemplate({
      containers: [{ env: [{ name: 'DATABASE_URL', value: 'postgres://a:b@h/d' }] }],
    });
    const before = JSON.stringify(service);
    serviceDisplayView(service, OPTIONS);
    expect(JSON.stringify(service)).toBe(before);
  });
});
