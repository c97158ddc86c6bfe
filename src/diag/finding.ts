import type { EnvironmentConfig } from '../config/schema';
import type { CloudGateway } from '../gcp/cloud-gateway';

export const CHECK_NAMES = [
  'vpc-connector',
  'cloud-sql',
  'cloud-run',
  'logs',
  'network',
  'firewall',
  'iam',
  'health',
  'database',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** `skipped`: not applicable to this environment (e.g. no connector: Direct VPC egress). */
export type FindingStatus = 'ok' | 'warn' | 'fail' | 'unknown' | 'skipped';
/** What the live message shows per check. */
export type CheckState = 'queued' | 'running' | FindingStatus;

/** What one check concluded, with the raw fields it judged. Plain data: it is stored in Redis. */
export interface Finding {
  check: CheckName;
  status: FindingStatus;
  /** One line for the status message. */
  summary: string;
  /** Lines for the thread reply when the status is not ok. */
  details: string[];
  /** The raw fields the judgement rests on (state, counts, ratios …), shown as evidence. */
  evidence: Record<string, string | number | boolean | null>;
  /** For `unknown`: why the check could not run and what to fix (e.g. the missing IAM role). */
  cannotRun?: { reason: string; fix?: string };
  durationMs: number;
}

/** What a check gets to work with. */
export interface CheckContext {
  environmentName: string;
  environment: EnvironmentConfig;
  gateway: CloudGateway;
  /** Aborted at the check's deadline. */
  signal: AbortSignal;
  now: Date;
  /** The environment variables (the database probe reads its DSN from the one named in config). */
  env: NodeJS.ProcessEnv;
}

export interface Check {
  name: CheckName;
  /** Never rejects: a failure to run becomes a Finding with status `unknown`. */
  run(context: CheckContext): Promise<Finding>;
}
