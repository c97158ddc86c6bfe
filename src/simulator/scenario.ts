import { z } from 'zod';

/**
 * The Google Cloud methods the simulator answers, named by the IAM permission each one needs:
 * faults name them, and a permission-denied answer names the same string back.
 */
export const SIMULATED_METHODS = [
  'vpcaccess.connectors.get',
  'cloudsql.instances.get',
  'run.services.get',
  'run.revisions.list',
  'run.services.update',
  'run.operations.get',
  'logging.logEntries.list',
  'monitoring.timeSeries.list',
  'resourcemanager.projects.getIamPolicy',
  'resourcemanager.projects.get',
  'compute.firewalls.list',
  'compute.subnetworks.get',
  'drive.files.create',
  'drive.files.update',
  'drive.files.list',
] as const;
export type SimulatedMethod = (typeof SIMULATED_METHODS)[number];

const method = z.enum(SIMULATED_METHODS);
/**
 * A metric series, oldest point first, one point a minute ending now. Written as a YAML list or,
 * for long series, as numbers separated by spaces (a folded string keeps them readable).
 */
const series = z
  .union([z.array(z.number().min(0)), z.string().transform((text) => text.trim().split(/\s+/).map(Number))])
  .pipe(z.array(z.number().min(0)).min(1));

const connector = z.strictObject({
  name: z.string(),
  state: z.enum(['READY', 'CREATING', 'DELETING', 'ERROR', 'UPDATING']),
  /** VPC network name (not the full path), e.g. staging-vpc. */
  network: z.string(),
  ipCidrRange: z.string().default('10.8.0.0/28'),
  machineType: z.string().default('e2-micro'),
  minInstances: z.number().int().min(0),
  maxInstances: z.number().int().min(1),
  /** The connector's subnet; a `projectId` other than the scenario's puts it in a Shared VPC host project. */
  subnet: z.strictObject({ name: z.string(), projectId: z.string().optional() }).optional(),
  /** Served as the `vpcaccess.googleapis.com/connector/instances` series. */
  currentInstances: series,
  /** Mean CPU utilisation (0–1), served as the `connector/cpu/utilizations` distribution series. */
  cpuUtilization: series,
});

const sql = z.strictObject({
  name: z.string(),
  state: z.enum(['RUNNABLE', 'SUSPENDED', 'PENDING_CREATE', 'MAINTENANCE', 'FAILED', 'UNKNOWN_STATE']),
  activationPolicy: z.enum(['ALWAYS', 'NEVER']).default('ALWAYS'),
  databaseVersion: z.string().default('POSTGRES_15'),
  tier: z.string().default('db-custom-2-7680'),
  /** VPC network name the private IP lives in; absent: no private IP. */
  privateNetwork: z.string().optional(),
  privateIp: z.string().default('10.20.0.3'),
  /** Whether the instance has a public IP (`ipConfiguration.ipv4Enabled`). */
  ipv4Enabled: z.boolean().default(false),
  publicIp: z.string().default('34.118.20.7'),
  /** The `max_connections` database flag; absent when the flag is not set (engine default). */
  maxConnections: z.number().int().positive().optional(),
  /** Served as `cloudsql.googleapis.com/database/postgresql/num_backends`. */
  numBackends: series,
  cpuUtilization: series.default([0.2]),
  /** Minutes from now; negative means it started that long ago. */
  scheduledMaintenanceInMinutes: z.number().optional(),
});

const condition = z.strictObject({
  type: z.string(),
  state: z.enum(['CONDITION_PENDING', 'CONDITION_RECONCILING', 'CONDITION_FAILED', 'CONDITION_SUCCEEDED']),
  message: z.string().optional(),
  severity: z.enum(['ERROR', 'WARNING', 'INFO']).optional(),
  reason: z.string().optional(),
  revisionReason: z.string().optional(),
});

const revision = z.strictObject({
  name: z.string(),
  createdMinutesAgo: z.number().min(0),
  conditions: z.array(condition).default([]),
});

const service = z.strictObject({
  conditions: z.array(condition),
  latestCreatedRevision: z.string(),
  latestReadyRevision: z.string().optional(),
  /** Percent per revision name; `LATEST` follows the latest ready revision. */
  traffic: z.array(z.strictObject({ revision: z.string(), percent: z.number().int().min(0).max(100) })),
  /** Through a connector, or Direct VPC egress (`networkInterfaces`); absent: no VPC route. */
  vpcAccess: z
    .strictObject({
      connector: z.string().optional(),
      egress: z.enum(['ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY']).default('PRIVATE_RANGES_ONLY'),
      /** Network and subnetwork names (not paths), and the network tags of the service's instances. */
      networkInterfaces: z
        .array(
          z.strictObject({
            network: z.string().optional(),
            subnetwork: z.string().optional(),
            tags: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    })
    .refine((v) => (v.connector === undefined) !== (v.networkInterfaces === undefined), {
      message: 'Give exactly one of connector or networkInterfaces.',
    })
    .optional(),
  /** The runtime service account; default `<service>-run@<project>.iam.gserviceaccount.com`, null: none set (the default compute account). */
  serviceAccount: z.string().nullable().optional(),
  /** Cloud SQL connections (`volumes[].cloudSqlInstance`), as instance names of this project. */
  cloudSqlInstances: z.array(z.string()).optional(),
  image: z.string().optional(),
  /** `template.scaling.maxInstanceCount`; small by default so the bundled scenarios stay within max_connections. */
  maxInstances: z.number().int().min(1).default(3),
  /** The container's environment: literal values or Secret Manager references. */
  env: z
    .array(
      z.union([
        z.strictObject({ name: z.string(), value: z.string() }),
        z.strictObject({
          name: z.string(),
          secret: z.strictObject({ name: z.string(), version: z.string().default('latest') }),
        }),
      ]),
    )
    .optional(),
  /** The service's own annotations and labels… */
  annotations: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  /** …and its revision template's. */
  templateAnnotations: z.record(z.string(), z.string()).optional(),
  templateLabels: z.record(z.string(), z.string()).optional(),
  startupProbe: z
    .strictObject({
      tcpPort: z.number().int().optional(),
      httpPath: z.string().optional(),
      initialDelaySeconds: z.number().int().default(0),
      timeoutSeconds: z.number().int().default(240),
      periodSeconds: z.number().int().default(240),
      failureThreshold: z.number().int().default(1),
    })
    .optional(),
  revisions: z.array(revision).min(1),
  /** Served as `run.googleapis.com/container/instance_count` (state active) of the latest revision. */
  instanceCount: series.optional(),
});

const iamBinding = z.strictObject({
  role: z.string(),
  /** e.g. `serviceAccount:backend-run@acme-staging.iam.gserviceaccount.com`. */
  members: z.array(z.string()),
  condition: z.strictObject({ title: z.string(), expression: z.string() }).optional(),
});

const firewallEntry = z.strictObject({
  IPProtocol: z.string(),
  ports: z.array(z.string()).optional(),
});

/** A VPC firewall rule as `compute#firewall` has it, with Google's defaults. */
const firewall = z.strictObject({
  name: z.string(),
  /** Network name; default: the Cloud SQL instance's private network. */
  network: z.string().optional(),
  /** The project that owns the rule; default: the connector's subnet project, else the scenario's. */
  project: z.string().optional(),
  direction: z.enum(['INGRESS', 'EGRESS']).default('INGRESS'),
  priority: z.number().int().min(0).max(65535).default(1000),
  disabled: z.boolean().default(false),
  allowed: z.array(firewallEntry).optional(),
  denied: z.array(firewallEntry).optional(),
  sourceRanges: z.array(z.string()).optional(),
  destinationRanges: z.array(z.string()).optional(),
  sourceTags: z.array(z.string()).optional(),
  targetTags: z.array(z.string()).optional(),
  targetServiceAccounts: z.array(z.string()).optional(),
  description: z.string().optional(),
});

const logGroup = z
  .strictObject({
    service: z.string(),
    severity: z.enum([
      'DEFAULT',
      'DEBUG',
      'INFO',
      'NOTICE',
      'WARNING',
      'ERROR',
      'CRITICAL',
      'ALERT',
      'EMERGENCY',
    ]),
    count: z.number().int().min(1),
    /** `stdout`, `stderr` or `varlog/system` (Cloud Run's own messages such as exit codes). */
    log: z.enum(['stdout', 'stderr', 'varlog/system', 'requests']).default('stderr'),
    textPayload: z.string().optional(),
    jsonPayload: z.record(z.string(), z.unknown()).optional(),
    /** For the `requests` log: the status in `httpRequest`. */
    httpStatus: z.number().int().optional(),
    /** Entries are spread evenly over this many minutes before the scenario was loaded… */
    withinMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(30),
    /** …ending this many minutes before it (0: up to now), for errors that have since stopped. */
    endedMinutesAgo: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(0),
  })
  .refine((group) => (group.textPayload === undefined) !== (group.jsonPayload === undefined), {
    message: 'Give exactly one of textPayload or jsonPayload.',
  });

const faults = z
  .strictObject({
    /** Every call waits a random time in this range, in milliseconds. */
    latencyMs: z.tuple([z.number().min(0), z.number().min(0)]).optional(),
    /** Fraction of calls answered with 503 UNAVAILABLE. */
    flakyRate: z.number().min(0).max(1).default(0),
    permissionDenied: z.array(method).default([]),
    malformedJson: z.array(method).default([]),
    /** Calls to these accept the request and never answer. */
    hang: z.array(method).default([]),
    /** Answer these statuses; with `times`, only for the first so many calls, then normally. */
    errors: z
      .array(
        z.strictObject({
          method,
          status: z.number().int().min(400).max(599),
          times: z.number().int().optional(),
        }),
      )
      .default([]),
    /** Drop the connection without answering (a network reset); with `times`, only at first. */
    resets: z.array(z.strictObject({ method, times: z.number().int().optional() })).default([]),
  })
  .default({ flakyRate: 0, permissionDenied: [], malformedJson: [], hang: [], errors: [], resets: [] });

/** What becomes of a revision that an update of a Cloud Run service creates. */
const rollout = z
  .strictObject({
    outcome: z.enum(['ready', 'failed']).default('ready'),
    /** Real time from the update until the revision is ready (or has failed). */
    readyAfterMs: z.number().int().min(0).default(1000),
    /** The new revision's failure, after "Revision '…' is not ready and cannot serve traffic."; default: exit(3) during start-up. */
    failureMessage: z.string().optional(),
  })
  .default({ outcome: 'ready', readyAfterMs: 1000 });

/** A state of Google Cloud for the simulator to serve, as written in `scenarios/<name>.yaml`. */
export const scenarioSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  project: z.string(),
  region: z.string(),
  /** The project number, as `projects.get` names the project (`projects/<number>`). */
  projectNumber: z.string().regex(/^\d+$/).default('123456789012'),
  /**
   * The project's IAM policy bindings. Absent: every service's runtime account holds
   * roles/cloudsql.client and the default compute account roles/editor.
   */
  iamPolicy: z.array(iamBinding).optional(),
  /**
   * Subnetworks `subnetworks.get` serves, besides those Direct VPC interfaces name together with
   * their network (in the scenario's project and region unless said otherwise).
   */
  subnetworks: z
    .array(
      z.strictObject({
        name: z.string(),
        network: z.string(),
        project: z.string().optional(),
        region: z.string().optional(),
        ipCidrRange: z.string().default('10.30.0.0/26'),
      }),
    )
    .default([]),
  /** VPC firewall rules, as `firewalls.list` serves them for the project that owns each. */
  firewalls: z.array(firewall).default([]),
  /** Absent: getConnector answers 404. */
  connector: connector.optional(),
  /** Absent: instances.get answers 404. */
  sql: sql.optional(),
  /** Keyed by service name; a service not listed answers 404. */
  services: z.record(z.string(), service).default({}),
  logs: z.array(logGroup).default([]),
  /** HTTP status per `GET /sim/health/<name>`. */
  health: z.record(z.string(), z.number().int().min(100).max(599)).default({}),
  faults,
  /** Updates of Cloud Run services: how a new revision's rollout ends. */
  rollout,
  /** Google Drive: the folders that exist and are shared with Warroom's account (others answer 404). */
  drive: z
    .strictObject({ folders: z.array(z.string()).default(['warroom-postmortems']) })
    .default({ folders: ['warroom-postmortems'] }),
  /** Seeds latency and flakiness so a run can be repeated. */
  seed: z.number().int().default(1),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioService = Scenario['services'][string];
export type ScenarioCondition = z.output<typeof condition>;
export type ScenarioFirewall = z.output<typeof firewall>;
