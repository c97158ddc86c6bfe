import type { CloudRunService } from './cloud-gateway';

/** What replaces a value Warroom must not show. */
export const HIDDEN = '(value hidden)';

/**
 * Annotation and label keys whose values are operational settings an operator needs (scaling,
 * VPC access, the launch stage…) and are written by Google or Knative, not by whoever deploys.
 */
const VISIBLE_PREFIXES = ['run.googleapis.com/', 'autoscaling.knative.dev/'];

export interface DisplayViewOptions {
  /** Further annotation and label keys whose values are shown (Warroom's own request annotation). */
  visibleKeys?: readonly string[];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const each = (value: unknown, f: (item: unknown) => unknown): unknown =>
  Array.isArray(value) ? value.map(f) : value;

/** A map's keys with every value hidden but those of the visible keys. */
function maskMap(map: unknown, visible: (key: string) => boolean): unknown {
  if (!isObject(map)) return map;
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, visible(key) ? value : HIDDEN]));
}

/** `command` and `args` may carry credentials (`--password=…`): their count only. */
const countOnly = (values: unknown, noun: string): unknown =>
  Array.isArray(values) && values.length > 0
    ? `(${values.length} ${noun}${values.length === 1 ? '' : 's'} hidden)`
    : values;

/** An env var or HTTP header: its name, and which kind of value it has, never the value. */
const nameOnly = (item: unknown): unknown => {
  if (!isObject(item)) return item;
  const fromSource = isObject(item.valueSource);
  return { name: item.name, [fromSource ? 'valueSource' : 'value']: HIDDEN };
};

function probe(value: unknown): unknown {
  if (!isObject(value) || !isObject(value.httpGet)) return value;
  return { ...value, httpGet: { ...value.httpGet, httpHeaders: each(value.httpGet.httpHeaders, nameOnly) } };
}

function container(value: unknown): unknown {
  if (!isObject(value)) return value;
  return {
    ...value,
    command: countOnly(value.command, 'value'),
    args: countOnly(value.args, 'argument'),
    env: each(value.env, nameOnly),
    startupProbe: probe(value.startupProbe),
    livenessProbe: probe(value.livenessProbe),
    readinessProbe: probe(value.readinessProbe),
  };
}

/** A secret volume names the secret and its versions: a reference, hidden like the env's. */
const volume = (value: unknown): unknown =>
  isObject(value) && value.secret ? { ...value, secret: HIDDEN } : value;

/**
 * The display view of a Cloud Run service: what Warroom may show in Slack, store in Redis or log.
 * Everything a deployer may have put a secret in is reduced to its names: env vars (literal or
 * secret reference) and probe headers keep their names, `command` and `args` their counts,
 * annotations and labels (service and template) their keys, with the values of Google's and
 * Knative's own keys and of `visibleKeys` still shown; build env vars and secret volumes are
 * hidden too. The rest is the service as given. Pure; the service itself is not changed.
 */
export function serviceDisplayView(service: CloudRunService, options: DisplayViewOptions = {}): Loose {
  const extra = new Set(options.visibleKeys ?? []);
  const visible = (key: string) =>
    extra.has(key) || VISIBLE_PREFIXES.some((prefix) => key.startsWith(prefix));
  const view: Loose = { ...service };
  view.annotations = maskMap(service.annotations, visible);
  view.labels = maskMap(service.labels, visible);
  if (isObject(service.template)) {
    const template = service.template as Loose;
    view.template = {
      ...template,
      annotations: maskMap(template.annotations, visible),
      labels: maskMap(template.labels, visible),
      containers: each(template.containers, container),
      volumes: each(template.volumes, volume),
    };
  }
  if (isObject(service.buildConfig)) {
    const build = service.buildConfig as Loose;
    view.buildConfig = { ...build, environmentVariables: maskMap(build.environmentVariables, () => false) };
  }
  return view;
}
