import type { Queue } from 'bullmq';
import { DIAG_CHECK_QUEUE, DIAG_QUEUE, DIAG_START_QUEUE, type DiagStartJobData } from '../diag/diag-queue';
import { INCIDENT_QUEUE } from '../incident/incident-queue';
import type { KeyPrefix } from '../queue/key-prefix';
import { createQueue } from '../queue/queues';
import type { RedisClient } from '../queue/redis-client';
import { REMEDIATION_QUEUE } from '../remediation/remediation-queue';
import { VERIFY_QUEUE } from '../verify/verify-queue';

/** The queues jobs are added to, one object each per process. */
export interface Queues {
  diagStart: Queue<DiagStartJobData>;
  incident: Queue;
  remediation: Queue;
  verify: Queue;
  /** Every queue, the ones only workers add to included: metrics, the admin page, idleness. */
  all: Queue[];
}

export function buildQueues(redis: RedisClient, prefix: KeyPrefix): Queues {
  const diagStart = createQueue<DiagStartJobData>(DIAG_START_QUEUE, redis, prefix);
  const incident = createQueue(INCIDENT_QUEUE, redis, prefix);
  const remediation = createQueue(REMEDIATION_QUEUE, redis, prefix);
  const verify = createQueue(VERIFY_QUEUE, redis, prefix);
  const all = [
    diagStart,
    incident,
    remediation,
    verify,
    createQueue(DIAG_QUEUE, redis, prefix),
    createQueue(DIAG_CHECK_QUEUE, redis, prefix),
  ];
  return { diagStart, incident, remediation, verify, all };
}
