import type { Config } from '../config/schema';
import type { Incident, TimelineData, TimelineEntry } from './incident';

/** One continuous stretch in a phase. A phase left and re-entered has several visits. */
export interface PhaseVisit {
  phase: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** The incident is open and this is the phase it is in: `endedAt` is `now`. */
  ongoing: boolean;
}

/** `pending`: not reached yet on an open incident; `skipped`: never entered although a later phase was, or the incident closed. */
export type PhaseStatus = 'done' | 'current' | 'skipped' | 'pending';

/** A phase's visits summed, next to its budget. */
export interface PhaseTotal {
  name: string;
  /** Absent for a phase that is not in the configuration (renamed since, or set by hand). */
  budgetMs?: number;
  actualMs: number;
  visits: number;
  status: PhaseStatus;
  /** actual − budget: positive when over, negative when under; absent without a budget or visit. */
  deltaMs?: number;
}

export interface PhaseHistory {
  startedAt: string;
  /** closedAt, or `now` while the incident is open. */
  endedAt: string;
  totalMs: number;
  /** In time order; they tile [startedAt, endedAt] exactly. */
  visits: PhaseVisit[];
  /** Configured phases in order, then unconfigured ones in the order first entered. */
  phases: PhaseTotal[];
  /** The visit in progress; absent once the incident is closed. */
  current?: PhaseVisit;
}

const ms = (iso: string) => Date.parse(iso);
const iso = (epoch: number) => new Date(epoch).toISOString();

/** When the incident ended: its closedAt, else a `closed` entry, else `undefined` (still open). */
export function closedAtOf(incident: Incident, timeline: readonly TimelineEntry[]): string | undefined {
  return incident.closedAt ?? timeline.find((entry) => entry.kind === 'closed')?.at;
}

/** Phase changes with a usable target, in time order (stable, so same-instant changes keep stream order). */
function phaseChanges(timeline: readonly TimelineEntry[]): { at: number; data: TimelineData['phase'] }[] {
  return timeline
    .filter((entry) => entry.kind === 'phase' && typeof entry.data.to === 'string' && entry.data.to !== '')
    .map((entry) => ({ at: ms(entry.at), data: entry.data as TimelineData['phase'] }))
    .sort((a, b) => a.at - b.at);
}

/**
 * Every phase's actual intervals, from the incident record, its timeline and the configured budgets.
 * The phase at opening is the first change's `from`; without one, the first configured phase (or,
 * with no change at all, `incident.phase`). Changes outside [openedAt, end] are clamped into it, so
 * the visits always add up to the incident's duration.
 */
export function phaseHistory(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases'>,
  now: Date,
): PhaseHistory {
  const start = ms(incident.openedAt);
  const closedAt = closedAtOf(incident, timeline);
  const end = Math.max(start, closedAt ? ms(closedAt) : now.getTime());
  const changes = phaseChanges(timeline);
  let phase =
    changes[0]?.data.from ?? (changes.length > 0 ? config.phases[0]?.name : undefined) ?? incident.phase;
  let since = start;
  const visits: PhaseVisit[] = [];
  const close = (until: number) => {
    // Zero-length stretches (two changes at one instant, a change at opening) are not visits.
    if (until > since) {
      visits.push({
        phase,
        startedAt: iso(since),
        endedAt: iso(until),
        durationMs: until - since,
        ongoing: false,
      });
    }
  };
  for (const change of changes) {
    if (change.data.to === phase) continue;
    const at = Math.min(Math.max(change.at, start), end);
    close(at);
    phase = change.data.to;
    since = at;
  }
  const last: PhaseVisit = {
    phase,
    startedAt: iso(since),
    endedAt: iso(end),
    durationMs: end - since,
    ongoing: !closedAt,
  };
  // The current phase is shown even when it began this instant; a closed one only if it lasted.
  if (last.ongoing || last.durationMs > 0) visits.push(last);
  return {
    startedAt: iso(start),
    endedAt: iso(end),
    totalMs: end - start,
    visits,
    phases: totals(visits, config, !closedAt),
    ...(last.ongoing ? { current: last } : {}),
  };
}

function totals(visits: readonly PhaseVisit[], config: Pick<Config, 'phases'>, open: boolean): PhaseTotal[] {
  const names = [...config.phases.map((p) => p.name)];
  for (const visit of visits) if (!names.includes(visit.phase)) names.push(visit.phase);
  const configuredIndex = (name: string) => config.phases.findIndex((p) => p.name === name);
  const furthest = Math.max(-1, ...visits.map((v) => configuredIndex(v.phase)));
  const currentName = open ? visits.at(-1)?.phase : undefined;
  return names.map((name): PhaseTotal => {
    const mine = visits.filter((v) => v.phase === name);
    const actualMs = mine.reduce((sum, v) => sum + v.durationMs, 0);
    const budgetMs = config.phases.find((p) => p.name === name)?.budgetMs;
    const index = configuredIndex(name);
    const status: PhaseStatus =
      name === currentName
        ? 'current'
        : mine.length > 0
          ? 'done'
          : !open || (index >= 0 && index < furthest)
            ? 'skipped'
            : 'pending';
    return {
      name,
      ...(budgetMs === undefined ? {} : { budgetMs }),
      actualMs,
      visits: mine.length,
      status,
      ...(budgetMs !== undefined && mine.length > 0 ? { deltaMs: actualMs - budgetMs } : {}),
    };
  });
}

/** The phase the open incident is in, since when, and its budget; `undefined` once closed. */
export function currentPhase(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases'>,
  now: Date,
): (PhaseVisit & { budgetMs?: number }) | undefined {
  const { current } = phaseHistory(incident, timeline, config, now);
  if (!current) return undefined;
  const budgetMs = config.phases.find((p) => p.name === current.phase)?.budgetMs;
  return budgetMs === undefined ? current : { ...current, budgetMs };
}

/** What the phase timer should do: remind now, or why not (with when to look again). */
export type OverrunCheck =
  | { remind: true; phase: string; budgetMs: number; spentMs: number; overByMs: number }
  | { remind: false; reason: 'closed' | 'no-budget' | 'already-reminded' }
  | { remind: false; reason: 'within-budget'; dueAt: string };

/**
 * Whether the current phase has outrun its budget and this visit has had no `phase-overrun`
 * reminder yet. The budget is for the phase as a whole, so time from earlier visits counts:
 * a revisited phase that had already overrun gets its one reminder as soon as it is re-entered.
 */
export function phaseOverrun(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases'>,
  now: Date,
): OverrunCheck {
  const history = phaseHistory(incident, timeline, config, now);
  const current = history.current;
  if (!current) return { remind: false, reason: 'closed' };
  const total = history.phases.find((p) => p.name === current.phase);
  if (total?.budgetMs === undefined) return { remind: false, reason: 'no-budget' };
  const spentMs = total.actualMs;
  if (spentMs < total.budgetMs) {
    return { remind: false, reason: 'within-budget', dueAt: iso(now.getTime() + total.budgetMs - spentMs) };
  }
  const reminded = timeline.some(
    (entry) =>
      entry.kind === 'phase-overrun' &&
      ms(entry.at) >= ms(current.startedAt) &&
      (entry.data.phase ?? current.phase) === current.phase,
  );
  if (reminded) return { remind: false, reason: 'already-reminded' };
  return {
    remind: true,
    phase: current.phase,
    budgetMs: total.budgetMs,
    spentMs,
    overByMs: spentMs - total.budgetMs,
  };
}
