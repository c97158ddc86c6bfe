import type { Config } from '../config/schema';
import type { DiagRun } from '../diag/diag-run';
import type { RedisDiagRunStore } from '../diag/redis-diag-run-store';
import { collectRecapFacts } from '../incident/collect-recap-facts';
import type { TimelineEntry } from '../incident/incident';
import { peopleNamed } from '../incident/people-named';
import type { RedisIncidentStore } from '../incident/redis-incident-store';
import type { IncidentPageModel } from './render-incident-page';

export interface PageDataDeps {
  incidents: RedisIncidentStore;
  diagRuns: RedisDiagRunStore;
  config: Config;
  now: () => Date;
  /** Display names of the people the record names (Slack ids → names, cached); absent: ids. */
  names?: (ids: readonly string[]) => Promise<(id: string) => string>;
}

/** Stream ids compare as (milliseconds, sequence). */
export function newerId(a: string, b: string): boolean {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am > bm : as > bs;
}

function latestDiagRunId(timeline: readonly TimelineEntry[]): string | undefined {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const entry = timeline[i];
    if (
      (entry?.kind === 'diag-started' || entry?.kind === 'diag-finished') &&
      typeof entry.data.runId === 'string'
    )
      return entry.data.runId;
  }
  return undefined;
}

/** Reads what an incident page shows; undefined when there is no such incident. */
export async function loadIncidentPage(
  deps: PageDataDeps,
  incidentId: string,
): Promise<IncidentPageModel | undefined> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) return undefined;
  const timeline = await deps.incidents.timelineByTime(incidentId);
  const now = deps.now();
  const runId = latestDiagRunId(timeline);
  const diag: DiagRun | undefined = runId ? (await deps.diagRuns.get(runId))?.run : undefined;
  const postmortem = (await deps.incidents.postmortems.get(incidentId)).document;
  const nameOf = await deps.names?.(peopleNamed(incident, timeline));
  let lastId = '0-0';
  for (const entry of timeline) if (newerId(entry.id, lastId)) lastId = entry.id;
  return {
    incident,
    timeline,
    facts: collectRecapFacts(incident, timeline, deps.config, now),
    ...(diag ? { diag } : {}),
    ...(postmortem ? { postmortemUrl: postmortem.webViewLink } : {}),
    ...(nameOf ? { nameOf } : {}),
    lastId,
    now,
  };
}
