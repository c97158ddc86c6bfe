import { type Incident, SEVERITIES } from './incident';
import { INCIDENT_ID } from './incident-id';
import { IncidentStoreError } from './incident-store-error';

/**
 * What `update` may change. Identity and open/close state are owned by `create` and `close`,
 * which keep the open and closed sets in step with them.
 */
export type IncidentPatch = Partial<Omit<Incident, IncidentOwnedField>>;

type IncidentOwnedField = 'id' | 'status' | 'openedAt' | 'openedBy' | 'closedAt' | 'resolution';
const OWNED_FIELDS: readonly IncidentOwnedField[] = [
  'id',
  'status',
  'openedAt',
  'openedBy',
  'closedAt',
  'resolution',
];

const REQUIRED_FIELDS = [
  'id',
  'title',
  'severity',
  'environment',
  'channelId',
  'channelName',
  'status',
  'commander',
  'openedBy',
  'openedAt',
  'phase',
] as const satisfies readonly (keyof Incident)[];

/**
 * The hash fields of a record or patch as HSET arguments: `[field, value, …]`. Undefined values
 * are left out (in a patch: left as they are). Every value must be a string, which every
 * `Incident` property is today; a non-string property would need a codec here.
 */
export function toHashArgs(fields: Partial<Incident>): string[] {
  const args: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`Incident field ${field} must be a string`);
    args.push(field, value);
  }
  return args;
}

/** Checks a record before `create` stores it; a programming error throws a TypeError. */
export function checkNewIncident(incident: Incident): number {
  if (!INCIDENT_ID.test(incident.id))
    throw new TypeError(`Incident id ${JSON.stringify(incident.id)} is not usable`);
  if (incident.status !== 'open' || incident.closedAt !== undefined) {
    throw new TypeError('A new incident must be open and have no closedAt');
  }
  return parseTime(incident.openedAt, 'openedAt');
}

/** Checks a patch for `update`; a field `update` may not change throws a TypeError. */
export function checkPatch(patch: IncidentPatch): void {
  for (const field of OWNED_FIELDS) {
    if (field in patch) throw new TypeError(`update cannot change ${field}; use create or close`);
  }
}

/** Milliseconds since the epoch of an ISO time, for sorted-set scores. */
export function parseTime(value: string, name: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`${name} is not a valid time: ${JSON.stringify(value)}`);
  return ms;
}

/** The record from an HGETALL reply, as an object or as ioredis' flat array from a Lua script. */
export function fromHash(hash: Record<string, string> | string[], key: string): Incident | undefined {
  const fields = Array.isArray(hash) ? pairsToObject(hash) : hash;
  if (Object.keys(fields).length === 0) return undefined;
  const missing = REQUIRED_FIELDS.filter((field) => typeof fields[field] !== 'string');
  const problems = [
    ...missing.map((field) => `no ${field}`),
    ...(missing.includes('severity') || SEVERITIES.includes(fields.severity as Incident['severity'])
      ? []
      : [`severity ${fields.severity}`]),
    ...(missing.includes('status') || fields.status === 'open' || fields.status === 'closed'
      ? []
      : [`status ${fields.status}`]),
  ];
  if (problems.length > 0) {
    throw new IncidentStoreError(
      'malformed_record',
      `The incident record at Redis key ${key} cannot be read (${problems.join(', ')}); fix or restore the hash`,
    );
  }
  // Fields added to Incident later come through as they are, without a change here.
  return fields as unknown as Incident;
}

function pairsToObject(pairs: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) object[pairs[i]] = pairs[i + 1];
  return object;
}
