import type { DiagRunMeta } from './diag-run';
import type { CheckName } from './finding';

/**
 * A run takes three queues: `diag-start` records it and adds its flow, `diag-check` runs each
 * check as a job of its own (in parallel, on any worker), and `diag` holds the flow's parent,
 * which decides the verdict once every check has reported.
 */
export const DIAG_START_QUEUE = 'diag-start';
export const DIAG_CHECK_QUEUE = 'diag-check';
export const DIAG_QUEUE = 'diag';

export interface DiagStartJobData {
  meta: DiagRunMeta;
}
export interface DiagRunJobData {
  runId: string;
}
export interface DiagCheckJobData {
  runId: string;
  check: CheckName;
}

/** Every job of the diag-start queue, by name. */
export interface DiagStartJobs {
  start: DiagStartJobData;
}
/** Every job of the diag queue, by name: the parent of a run's flow. */
export interface DiagRunJobs {
  'diag-run': DiagRunJobData;
}
/** Every job of the diag-check queue: each is named after its check, so dashboards and metrics tell them apart. */
export type DiagCheckJobs = Record<CheckName, DiagCheckJobData>;

/** Deterministic ids: a redelivered command or a repeated start maps to the jobs already there. */
export const diagJobIds = {
  start: (runId: string) => `${runId}-start`,
  run: (runId: string) => runId,
  check: (runId: string, check: CheckName) => `${runId}-${check}`,
};
