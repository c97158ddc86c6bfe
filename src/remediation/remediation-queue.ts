import type { Queue } from 'bullmq';

export const REMEDIATION_QUEUE = 'remediation';

/** Every job of the remediation queue, by name. */
export interface RemediationJobs {
  /** Runs an approved request (or a dry run); safe to run again: see execute-request.ts. */
  execute: { requestId: string };
  /** Fires when a request's approval window ends. */
  expire: { requestId: string };
}
export type RemediationJobName = keyof RemediationJobs;

/** Deterministic ids: a second Approve click, a retry or a redelivery maps to the job already there. */
export const remediationJobIds = {
  execute: (requestId: string) => `remediate.${requestId}.execute`,
  expire: (requestId: string) => `remediate.${requestId}.expire`,
};

export const remediationMessageKey = (requestId: string) => `remediation:${requestId}`;

/** Adds a job of the remediation queue, typed by name, under its deterministic id. */
export function addRemediationJob<N extends RemediationJobName>(
  queue: Queue,
  name: N,
  data: RemediationJobs[N],
  options: { delay?: number } = {},
) {
  const jobId = remediationJobIds[name](data.requestId);
  // A restart may wait several minutes for Cloud Run; a crash is retried, never the PATCH (see the job).
  return queue.add(name, data, { jobId, attempts: name === 'execute' ? 3 : 5, ...options });
}
