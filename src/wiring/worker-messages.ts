import type { MetricsSnapshot } from '../metrics/warroom-metrics';

/**
 * What a worker process started by `--role all` and its parent say over the IPC channel. The
 * parent asks for metrics (its `/metrics` includes the workers'); the worker says when it is ready.
 */
export type ToWorker = { type: 'metrics'; id: number };
export type FromWorker = { type: 'ready' } | { type: 'metrics'; id: number; metrics: MetricsSnapshot };

/** The variable that tells a worker process it was started by a parent, and which one it is. */
export const WORKER_INDEX_VARIABLE = 'WARROOM_WORKER_INDEX';

export function isToWorker(message: unknown): message is ToWorker {
  const m = message as Partial<ToWorker> | null;
  return typeof m === 'object' && m !== null && m.type === 'metrics' && Number.isSafeInteger(m.id);
}

export function isFromWorker(message: unknown): message is FromWorker {
  const m = message as { type?: unknown; id?: unknown; metrics?: unknown } | null;
  if (typeof m !== 'object' || m === null) return false;
  if (m.type === 'ready') return true;
  return m.type === 'metrics' && Number.isSafeInteger(m.id) && Array.isArray(m.metrics);
}
