import {
  canonical,
  sameTemplate,
  type TemplateSpec,
  templateMeta,
  templateSpecOf,
} from '../../../src/simulator/template-spec';

const IMAGE = 'us-central1-docker.pkg.dev/acme-staging/apps/backend:latest';
const CURRENT: TemplateSpec = { annotations: {}, labels: {}, containers: [{ image: IMAGE, env: [] }] };

/** A template as GAPIC sends it in a PATCH: what GET rendered, plus whatever the caller changed. */
const sent = (changes: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  revision: 'backend-00042-kav',
  labels: {},
  annotations: {},
  scaling: { minInstanceCount: 0, maxInstanceCount: 10 },
  containers: [{ name: 'backend-1', image: IMAGE, ports: [{ containerPort: 8080 }], ...container }],
  executionEnvironment: 2,
  ...changes,
});

describe('template comparison', () => {
  it.each<[string, unknown, boolean]>([
    ['the template as read', sent(), true],
    ['the template as read, revision cleared', sent({ revision: '' }), true],
    ['a template with empty maps left out', { containers: [{ image: IMAGE }] }, true],
    ['other fields changed (scaling)', sent({ scaling: { maxInstanceCount: 20 } }), true],
    ['no template at all', undefined, true],
    ['a template without containers', { annotations: {} }, true],
    ['an annotation added', sent({ annotations: { 'warroom.dev/restarted-at': 'now' } }), false],
    ['a label added', sent({ labels: { team: 'core' } }), false],
    ['another image', sent({}, { image: `${IMAGE.slice(0, -6)}:v2` }), false],
    ['an env var added', sent({}, { env: [{ name: 'RESTART', value: '1' }] }), false],
    ['a second container', sent({ containers: [{ image: IMAGE }, { image: 'sidecar' }] }), false],
  ])('counts %s as the same revision: %s', (_what, template, same) => {
    expect(sameTemplate(CURRENT, templateSpecOf(template, CURRENT))).toBe(same);
  });

  it('reads env values and secret references, in order', () => {
    const spec = templateSpecOf(
      sent(
        {},
        {
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueSource: { secretKeyRef: { secret: 's' } } },
          ],
        },
      ),
      CURRENT,
    );
    expect(spec.containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', valueSource: { secretKeyRef: { secret: 's' } } },
    ]);
  });

  it('compares maps whatever their key order', () => {
    const a = { ...CURRENT, annotations: { x: '1', y: '2' } };
    const b = { ...CURRENT, annotations: { y: '2', x: '1' } };
    expect(sameTemplate(a, b)).toBe(true);
    expect(canonical({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it('renders what it reads back to the same spec', () => {
    const spec: TemplateSpec = {
      annotations: { 'warroom.dev/restarted-at': 'now' },
      labels: { team: 'core' },
      containers: [{ image: IMAGE, env: [{ name: 'A', value: '1' }] }],
    };
    const rendered = { ...templateMeta(spec), containers: [{ image: IMAGE, env: spec.containers[0]?.env }] };
    expect(templateSpecOf(rendered, CURRENT)).toEqual(spec);
    expect(templateMeta(CURRENT)).toEqual({});
  });
});
