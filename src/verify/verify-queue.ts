export const VERIFY_QUEUE = 'verify';

export interface VerifyJobData {
  runId: string;
  environment: string;
  channelId: string;
  requestedBy: string;
  incidentId?: string;
  requestedAt: string;
}

/** Every job of the verify queue, by name. */
export interface VerifyJobs {
  verify: VerifyJobData;
  /** One verification of a watch; its job scheduler adds one per interval. */
  'watch-tick': { watchId: string };
}

/** Deterministic ids: a redelivered command maps to the job already there. */
export const verifyJobIds = {
  verify: (runId: string) => `verify.${runId}`,
};

export const watchSchedulerId = (watchId: string) => `watch.${watchId}`;
export const verifyMessageKey = (runId: string) => `verify:${runId}`;
export const watchMessageKey = (watchId: string) => `watch:${watchId}`;
