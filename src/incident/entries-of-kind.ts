import type { TimelineData, TimelineEntry } from './incident';

/** The entries of one kind, their data typed as that kind's (partly: it is read back from Redis). */
export const entriesOfKind = <K extends keyof TimelineData>(timeline: readonly TimelineEntry[], kind: K) =>
  timeline.filter((e) => e.kind === kind).map((e) => ({ ...e, data: e.data as Partial<TimelineData[K]> }));
