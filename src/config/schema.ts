import { z } from 'zod';
import { poolSize } from './pool-size';
import { duration, isHttpUrl, namedMap, strictObject, text, uniqueList, wholeNumber } from './schema-fields';
import { expecting, problem, quote } from './schema-messages';
import { type VerifyConfig, verifySchema } from './verify-schema';

export { FIX_MARKER } from './schema-messages';
export type { VerifyConfig, VerifyStep } from './verify-schema';

/** Who gets paged, in escalation order. */
export type ContactTier = 'primary' | 'secondary' | 'business' | 'executive';
export const CONTACT_TIERS: readonly ContactTier[] = ['primary', 'secondary', 'business', 'executive'];

/** Slack member ids (U…, or W… on Enterprise Grid) and user-group ids (S…). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const SLACK_GROUP_ID = /^S[A-Z0-9]{2,}$/;

/** One deployment target, keyed by its name under `environments`. */
export interface EnvironmentConfig {
  /** The key under `environments`, e.g. `staging`. */
  name: string;
  /** Google Cloud project id. */
  project: string;
  region: string;
  /** Serverless VPC Access connector; absent when services use Direct VPC egress. */
  connector?: string;
  /** Cloud SQL instance name (not the connection name). */
  sqlInstance: string;
  /** Cloud Run service names, at least one, unique. */
  services: string[];
  healthChecks: { name: string; url: string }[];
  /**
   * `urlEnv`: name of the environment variable that holds a DSN for the connect probe; never the DSN
   * itself. `poolSize`: connections one instance of a service may hold (pool plus overflow);
   * `DEFAULT_POOL_SIZE` when unset.
   */
  database?: { urlEnv?: string; poolSize?: number };
  remediation: { approval: 'required' | 'none' };
  /** HTTP steps `/incident verify` runs in order (log in, then ask for an AI response); none by default. */
  verify: VerifyConfig;
}

/** A group of people to page, in file order. */
export interface Contact {
  name: string;
  tier: ContactTier;
  /** Slack user ids (U…/W…) and user-group ids (S…); empty for a contact reached by PagerDuty alone. */
  slack: string[];
  /**
   * `routingKeyEnv`: the environment variable that holds the contact's PagerDuty Events API v2
   * integration (routing) key; never the key itself.
   */
  pagerduty?: { routingKeyEnv: string };
  note?: string;
}

export interface Phase {
  name: string;
  /** Expected duration of the phase. */
  budgetMs: number;
}

/** Slack ids allowed to do something, or `'anyone'` when the file does not restrict it. */
export type AccessList = string[] | 'anyone';

/** The validated configuration with every default filled in. Durations are in milliseconds. */
export interface Config {
  /** Keyed by environment name, in file order: `config.environments.staging.services`. */
  environments: Record<string, EnvironmentConfig>;
  /** In file order; filter by `tier` to find who to page. Empty when the file has none. */
  contacts: Contact[];
  escalation: { ackTimeoutMs: number; executiveAfterMs: number };
  /** In the order an incident goes through them. */
  phases: Phase[];
  access: {
    /** Who may run commands that change things. An empty list means nobody. */
    responders: AccessList;
    /** Who may approve remediation; with `'anyone'`, anyone except the requester. */
    approvers: AccessList;
  };
  /** Callers wrap `prefix` in a Redis hash tag themselves. */
  queue: { prefix: string; concurrency: number };
  incidents: { archiveOnClose: boolean };
  /** Where closing an incident writes its postmortem draft (a Google Doc); absent: no draft. */
  postmortem?: { driveFolderId: string };
}

/** Connections per service instance assumed when `database.poolSize` is not set (SQLAlchemy's pool_size + max_overflow). */

const HOUR = 3_600_000;
export const DEFAULT_PHASES: readonly Readonly<Phase>[] = Object.freeze([
  Object.freeze({ name: 'diagnostic', budgetMs: HOUR }),
  Object.freeze({ name: 'restoration', budgetMs: 2 * HOUR }),
  Object.freeze({ name: 'validation', budgetMs: HOUR }),
]);
export const DEFAULT_ESCALATION: Readonly<Config['escalation']> = Object.freeze({
  ackTimeoutMs: 15 * 60_000,
  executiveAfterMs: 4 * HOUR,
});

const slackId = text(
  /^(?:[UW][A-Z0-9]{2,}|S[A-Z0-9]{2,})$/,
  'Slack user or user-group id',
  'use a member id (U… or W…, "Copy member ID" in the profile menu) or a user-group id (S…); names and @handles do not work.',
  'U0123ABCD',
);
const slackIds = uniqueList(slackId, 'Slack id', '[S0123ABCD, U0456EFGH]', (id) => id);

const environment = strictObject(
  {
    project: text(
      /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      'Google Cloud project id',
      'use the project id, not its name or number: 6 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (e.g. acme-staging).',
      'acme-staging',
    ),
    region: text(
      /^[a-z]+-[a-z]+[0-9]+$/,
      'Google Cloud region',
      'write the region as gcloud prints it, e.g. us-central1 or europe-west4.',
      'us-central1',
    ),
    connector: text(
      /^[a-z][-a-z0-9]{0,23}$/,
      'Serverless VPC Access connector name',
      'use the connector name: up to 24 lowercase letters, digits or hyphens, starting with a letter (e.g. staging-connector). Omit the key if the services use Direct VPC egress.',
      'staging-connector',
    ).optional(),
    sqlInstance: text(
      /^[a-z](?:[a-z0-9-]{0,96}[a-z0-9])?$/,
      'Cloud SQL instance name',
      'use the instance name (e.g. staging-db), not the project:region:instance connection name: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.',
      'staging-db',
    ),
    services: uniqueList(
      text(
        /^[a-z](?:[-a-z0-9]{0,47}[a-z0-9])?$/,
        'Cloud Run service name',
        'use the service name as `gcloud run services list` shows it: up to 49 lowercase letters, digits or hyphens, starting with a letter.',
        'backend',
      ),
      'Cloud Run service',
      '[backend, auth]',
      (name) => name,
    ).refine((services) => services.length > 0, {
      error: problem(
        'No services are listed.',
        'list the Cloud Run services of this environment, e.g. [backend, auth].',
      ),
    }),
    healthChecks: uniqueList(
      strictObject(
        {
          name: text(
            /^[a-z][a-z0-9-]{0,49}$/,
            'health check name',
            'use lowercase letters, digits and hyphens, e.g. backend.',
            'backend',
          ),
          url: text(
            isHttpUrl,
            'health check URL',
            'write a full http:// or https:// URL, e.g. https://backend.staging.example.com/health.',
            'https://backend.staging.example.com/health',
          ),
        },
        'a health check',
        '{ name: backend, url: "https://backend.staging.example.com/health" }',
      ),
      'health check',
      '[{ name: backend, url: "https://backend.staging.example.com/health" }]',
      (check) => check.name,
    ).default([]),
    database: strictObject(
      {
        urlEnv: text(
          /^[A-Z_][A-Z0-9_]*$/,
          'environment variable name',
          'write the name of the environment variable that holds the DSN (e.g. STAGING_DATABASE_URL), never the DSN itself.',
          'STAGING_DATABASE_URL',
        ).optional(),
        poolSize: poolSize().optional(),
      },
      'a database probe',
      '{ urlEnv: STAGING_DATABASE_URL, poolSize: 10 }',
    ).optional(),
    remediation: strictObject(
      {
        approval: z.enum(['required', 'none'], {
          error: (issue) =>
            problem(
              `${quote(issue.input)} is not an approval mode.`,
              'write approval: required or approval: none.',
            ),
        }),
      },
      'remediation settings',
      '{ approval: required }',
    ).default({ approval: 'required' }),
    verify: verifySchema,
  },
  'an environment',
  '{ project: acme-staging, region: us-central1, sqlInstance: staging-db, services: [backend] }',
);

const contact = strictObject(
  {
    tier: z.enum(CONTACT_TIERS as [ContactTier, ...ContactTier[]], {
      error: (issue) =>
        problem(`${quote(issue.input)} is not a contact tier.`, `write one of: ${CONTACT_TIERS.join(', ')}.`),
    }),
    slack: slackIds
      .refine((ids) => ids.length > 0, {
        error: problem('No Slack ids are listed.', 'list at least one user (U…) or user-group (S…) id.'),
      })
      .optional(),
    pagerduty: strictObject(
      {
        routingKeyEnv: text(
          /^[A-Z_][A-Z0-9_]*$/,
          'environment variable name',
          'write the name of the environment variable that holds the Events API v2 integration key (e.g. INFRA_PD_ROUTING_KEY), never the key itself.',
          'INFRA_PD_ROUTING_KEY',
        ),
      },
      'a PagerDuty link',
      '{ routingKeyEnv: INFRA_PD_ROUTING_KEY }',
    ).optional(),
    note: z
      .string({ error: expecting('a short note', '"Open a P1 case in the Cloud console"') })
      .max(500, {
        error: problem('The note is longer than 500 characters.', 'shorten it; link to a runbook instead.'),
      })
      .optional(),
  },
  'a contact',
  '{ tier: primary, slack: [S0123ABCD] }',
).refine((contact) => contact.slack !== undefined || contact.pagerduty !== undefined, {
  error: problem(
    'The contact has no way to be reached.',
    'list Slack ids under slack, or name the variable of a PagerDuty integration key under pagerduty.routingKeyEnv, or both.',
  ),
});

const file = strictObject(
  {
    environments: namedMap(
      environment,
      'environment',
      'staging: { project: acme-staging, region: us-central1, sqlInstance: staging-db, services: [backend] }',
    ),
    contacts: z
      .record(z.string(), contact, {
        error: expecting('a mapping of contacts', 'infra-oncall: { tier: primary, slack: [S0123ABCD] }'),
      })
      .optional(),
    escalation: strictObject(
      { ackTimeout: duration(1_000).optional(), executiveAfter: duration(1_000).optional() },
      'escalation settings',
      '{ ackTimeout: 15m, executiveAfter: 4h }',
    ).optional(),
    phases: namedMap(
      duration(1_000),
      'phase',
      '{ diagnostic: 1h, restoration: 2h, validation: 1h }',
    ).optional(),
    access: strictObject(
      { responders: slackIds.optional(), approvers: slackIds.optional() },
      'access lists',
      '{ responders: [S0123ABCD] }',
    ).optional(),
    queue: strictObject(
      {
        prefix: text(
          /^[a-z0-9-_]+$/,
          'queue prefix',
          'use only lowercase letters, digits, hyphens and underscores, e.g. warroom.',
          'warroom',
        ).optional(),
        concurrency: wholeNumber(256).optional(),
      },
      'queue settings',
      '{ prefix: warroom, concurrency: 8 }',
    ).optional(),
    incidents: strictObject(
      {
        archiveOnClose: z.boolean({ error: expecting('true or false', 'archiveOnClose: false') }).optional(),
      },
      'incident settings',
      '{ archiveOnClose: false }',
    ).optional(),
    postmortem: strictObject(
      {
        driveFolderId: text(
          /^[A-Za-z0-9_-]{5,200}$/,
          'Google Drive folder id',
          'use the id at the end of the folder’s URL (drive.google.com/drive/folders/<id>), not its name.',
          '1AbCdEfGhIjKlMnOpQrStUvWxYz012345',
        ),
      },
      'postmortem settings',
      '{ driveFolderId: 1AbCdEfGhIjKlMnOpQrStUvWxYz012345 }',
    ).optional(),
  },
  'a mapping of settings',
  'environments: { staging: { … } }',
);

/** Validates the parsed YAML and fills in defaults. Messages are worded as fixes (see `FIX_MARKER`). */
export const configSchema: z.ZodType<Config, unknown> = file.transform(
  (raw): Config => ({
    environments: Object.fromEntries(
      Object.entries(raw.environments).map(([name, env]) => [name, { name, ...env }]),
    ),
    contacts: Object.entries(raw.contacts ?? {}).map(([name, entry]) => ({
      name,
      ...entry,
      slack: entry.slack ?? [],
    })),
    escalation: {
      ackTimeoutMs: raw.escalation?.ackTimeout ?? DEFAULT_ESCALATION.ackTimeoutMs,
      executiveAfterMs: raw.escalation?.executiveAfter ?? DEFAULT_ESCALATION.executiveAfterMs,
    },
    phases: raw.phases
      ? Object.entries(raw.phases).map(([name, budgetMs]) => ({ name, budgetMs }))
      : DEFAULT_PHASES.map((phase) => ({ ...phase })),
    access: { responders: raw.access?.responders ?? 'anyone', approvers: raw.access?.approvers ?? 'anyone' },
    queue: { prefix: raw.queue?.prefix ?? 'warroom', concurrency: raw.queue?.concurrency ?? 8 },
    incidents: { archiveOnClose: raw.incidents?.archiveOnClose ?? false },
    ...(raw.postmortem ? { postmortem: { driveFolderId: raw.postmortem.driveFolderId } } : {}),
  }),
);
