/** An environment variable as proto3 JSON gives it: a literal value or a secret reference. */
export interface EnvVar {
  name: string;
  value?: string;
  valueSource?: unknown;
}

/**
 * The parts of a revision template whose change makes Cloud Run create a new revision, as the
 * simulator keeps and renders them. (The simulator renders one container; sidecars are not simulated.)
 */
export interface TemplateSpec {
  annotations: Record<string, string>;
  labels: Record<string, string>;
  containers: { image: string; env: EnvVar[] }[];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A proto3 JSON `map<string, string>`: absent (an empty map is not sent) means empty. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
}

function envOf(value: unknown): EnvVar[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((item) => ({
    name: String(item.name ?? ''),
    ...(item.value !== undefined && item.value !== null ? { value: String(item.value) } : {}),
    ...(item.valueSource !== undefined && item.valueSource !== null ? { valueSource: item.valueSource } : {}),
  }));
}

/**
 * The spec of a `RevisionTemplate` in proto3 JSON — one a GET rendered or one a PATCH sent.
 * Containers left out keep `current`'s: an update names the containers it runs, and a template
 * without any would be rejected by Cloud Run rather than clear them.
 */
export function templateSpecOf(template: unknown, current: TemplateSpec): TemplateSpec {
  if (!isObject(template)) return current;
  const containers = Array.isArray(template.containers) ? template.containers.filter(isObject) : [];
  return {
    annotations: stringMap(template.annotations),
    labels: stringMap(template.labels),
    containers:
      containers.length === 0
        ? current.containers
        : containers.map((c) => ({ image: String(c.image ?? ''), env: envOf(c.env) })),
  };
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two templates are the same revision: annotations, labels, images and env alike. */
export const sameTemplate = (a: TemplateSpec, b: TemplateSpec): boolean => canonical(a) === canonical(b);

/** The annotations and labels GET renders for `spec`: proto3 JSON leaves empty maps out. */
export function templateMeta(spec: Pick<TemplateSpec, 'annotations' | 'labels'>): {
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
} {
  return {
    ...(Object.keys(spec.labels).length > 0 ? { labels: spec.labels } : {}),
    ...(Object.keys(spec.annotations).length > 0 ? { annotations: spec.annotations } : {}),
  };
}
