import type { DiagJobDeps } from './diag-job-deps';
import { type DiagRun, diagMessageKeys } from './diag-run';
import { renderDiagStatus } from './render-diag';

/**
 * Renders the live message from the stored run and hands it to the outbox. Checks finish
 * concurrently, so a render can be overtaken by a newer state; re-render until the state read is
 * still the latest after the put, and the message always ends on the newest state.
 */
export async function publishStatus(
  deps: Pick<DiagJobDeps, 'store' | 'outbox'>,
  runId: string,
  when: 'now' | 'progress' = 'now',
): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const loaded = await deps.store.get(runId);
    if (!loaded) return;
    const { run } = loaded;
    if (when === 'progress' && !run.verdict && holdProgress(deps, run)) return;
    await deps.outbox.put(run.channelId, diagMessageKeys.status(runId), renderDiagStatus(run));
    if ((await deps.store.version(runId)) === loaded.version) return;
  }
}

/**
 * Slack allows one update of a message per second, so progress shown just after the first post
 * would make the verdict of a quick run wait for the next free second. Progress in a run's first
 * PROGRESS_QUIET_MS is held back and shown at the end of that window (or by the verdict, if that
 * comes first).
 */
export const PROGRESS_QUIET_MS = 2000;
const heldRuns = new Set<string>();

function holdProgress(deps: Pick<DiagJobDeps, 'store' | 'outbox'>, run: DiagRun): boolean {
  const wait = Date.parse(run.startedAt) + PROGRESS_QUIET_MS - Date.now();
  if (wait <= 0) return false;
  if (!heldRuns.has(run.id)) {
    heldRuns.add(run.id);
    setTimeout(() => {
      heldRuns.delete(run.id);
      publishStatus(deps, run.id).catch(() => {});
    }, wait).unref();
  }
  return true;
}
