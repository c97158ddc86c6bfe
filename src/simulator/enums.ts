/**
 * Enum values of the protos the GAPIC clients decode, copied from the clients' protos.json.
 * The REST transport of google-gax asks for `$alt=json;enum-encoding=int`, and Google then
 * answers enums as numbers; without that parameter it answers their names. protobufjs decodes
 * either, so the simulator answers whichever the request asked for.
 */
const TABLES = {
  connectorState: { STATE_UNSPECIFIED: 0, READY: 1, CREATING: 2, DELETING: 3, ERROR: 4, UPDATING: 5 },
  conditionState: {
    STATE_UNSPECIFIED: 0,
    CONDITION_PENDING: 1,
    CONDITION_RECONCILING: 2,
    CONDITION_FAILED: 3,
    CONDITION_SUCCEEDED: 4,
  },
  severity: { SEVERITY_UNSPECIFIED: 0, ERROR: 1, WARNING: 2, INFO: 3 },
  commonReason: {
    COMMON_REASON_UNDEFINED: 0,
    UNKNOWN: 1,
    REVISION_FAILED: 3,
    PROGRESS_DEADLINE_EXCEEDED: 4,
    CONTAINER_MISSING: 6,
    CONTAINER_PERMISSION_DENIED: 7,
    CONTAINER_IMAGE_UNAUTHORIZED: 8,
    CONTAINER_IMAGE_AUTHORIZATION_CHECK_FAILED: 9,
    ENCRYPTION_KEY_PERMISSION_DENIED: 10,
    ENCRYPTION_KEY_CHECK_FAILED: 11,
    SECRETS_ACCESS_CHECK_FAILED: 12,
    WAITING_FOR_OPERATION: 13,
    IMMEDIATE_RETRY: 14,
    POSTPONED_RETRY: 15,
    INTERNAL: 16,
    VPC_NETWORK_NOT_FOUND: 17,
  },
  revisionReason: {
    REVISION_REASON_UNDEFINED: 0,
    PENDING: 1,
    RESERVE: 2,
    RETIRED: 3,
    RETIRING: 4,
    RECREATING: 5,
    HEALTH_CHECK_CONTAINER_ERROR: 6,
    CUSTOMIZED_PATH_RESPONSE_PENDING: 7,
    MIN_INSTANCES_NOT_PROVISIONED: 8,
    ACTIVE_REVISION_LIMIT_REACHED: 9,
    NO_DEPLOYMENT: 10,
    HEALTH_CHECK_SKIPPED: 11,
    MIN_INSTANCES_WARMING: 12,
  },
  vpcEgress: { VPC_EGRESS_UNSPECIFIED: 0, ALL_TRAFFIC: 1, PRIVATE_RANGES_ONLY: 2 },
  trafficType: {
    TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED: 0,
    TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST: 1,
    TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION: 2,
  },
  ingress: {
    INGRESS_TRAFFIC_UNSPECIFIED: 0,
    INGRESS_TRAFFIC_ALL: 1,
    INGRESS_TRAFFIC_INTERNAL_ONLY: 2,
    INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: 3,
    INGRESS_TRAFFIC_NONE: 4,
  },
  executionEnvironment: {
    EXECUTION_ENVIRONMENT_UNSPECIFIED: 0,
    EXECUTION_ENVIRONMENT_GEN1: 1,
    EXECUTION_ENVIRONMENT_GEN2: 2,
  },
  launchStage: { LAUNCH_STAGE_UNSPECIFIED: 0, EARLY_ACCESS: 1, ALPHA: 2, BETA: 3, GA: 4, DEPRECATED: 5 },
} as const satisfies Record<string, Record<string, number>>;

export type EnumName = keyof typeof TABLES;

/** Encodes enum values for one response: as numbers when the request asked for them. */
export type EnumEncoder = (table: EnumName, value: string) => string | number;

export function enumEncoder(numeric: boolean): EnumEncoder {
  return (table, value) => {
    if (!numeric) return value;
    const number = (TABLES[table] as Record<string, number>)[value];
    if (number === undefined) throw new Error(`Unknown ${table} value ${value}`);
    return number;
  };
}

/** Whether the query string carries `$alt=json;enum-encoding=int` (URL-encoded or not). */
export const wantsNumericEnums = (search: URLSearchParams): boolean =>
  (search.get('$alt') ?? '').toLowerCase().includes('enum-encoding=int');
