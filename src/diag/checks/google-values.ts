/**
 * Google's values as the client libraries decode them. The REST clients (googleapis) give enums
 * as names and timestamps as RFC 3339 strings; the GAPIC clients (@google-cloud/*) may give
 * enums as numbers and timestamps as `{ seconds, nanos }` with `seconds` a number, string or Long.
 * Judges accept all of them so that they do not depend on which client produced the data.
 */

/** `google.cloud.vpcaccess.v1.Connector.State`, indexed by number. */
export const CONNECTOR_STATES = ['STATE_UNSPECIFIED', 'READY', 'CREATING', 'DELETING', 'ERROR', 'UPDATING'];
/** `google.cloud.run.v2.Condition.State`. */
export const CONDITION_STATES = [
  'STATE_UNSPECIFIED',
  'CONDITION_PENDING',
  'CONDITION_RECONCILING',
  'CONDITION_FAILED',
  'CONDITION_SUCCEEDED',
];
/** `google.cloud.run.v2.VpcAccess.VpcEgress`. */
export const VPC_EGRESS = ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'];

/** An enum as its name, whether it came as a name or a number; undefined when absent. */
export function enumName(value: unknown, names: readonly string[]): string | undefined {
  if (typeof value === 'number') return names[value] ?? String(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** A number from a number, a numeric string (int64 in JSON) or a protobuf Long. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    const toNum = (value as { toNumber: unknown }).toNumber;
    return typeof toNum === 'function' ? toNumber(toNum.call(value)) : undefined;
  }
  return undefined;
}

/** Milliseconds since the epoch from an RFC 3339 string or a protobuf Timestamp. */
export function toMillis(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value === 'object' && value !== null && 'seconds' in value) {
    const seconds = toNumber((value as { seconds: unknown }).seconds);
    const nanos = toNumber((value as { nanos?: unknown }).nanos) ?? 0;
    return seconds === undefined ? undefined : seconds * 1000 + Math.floor(nanos / 1e6);
  }
  return undefined;
}

/** The last path segment of a resource name (`projects/p/locations/r/connectors/c` → `c`). */
export function lastSegment(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const parts = name.split('/').filter((part) => part !== '');
  return parts[parts.length - 1];
}

/** The location in a resource name (`…/locations/us-central1/…` → `us-central1`). */
export function locationOf(name: string | null | undefined): string | undefined {
  return name ? /\/locations\/([^/]+)/.exec(`/${name}`)?.[1] : undefined;
}
