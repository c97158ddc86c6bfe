import type { TimelineEntry } from './incident';

/** The longest follow-up text: one action item, not a document. */
export const FOLLOW_UP_TEXT_MAX = 300;
/** Follow-ups an incident can hold; a bound on what anyone in the channel can add. */
export const FOLLOW_UPS_MAX = 100;

/** One action item recorded on an incident. Times are ISO-8601 UTC. */
export interface FollowUp {
  /** 1, 2, …: what people type in `/incident followup done <n>`. */
  number: number;
  text: string;
  /** Slack user id of whoever owns it, when someone was named. */
  owner?: string;
  dueAt?: string;
  addedBy: string;
  addedAt: string;
  state: 'open' | 'done';
  doneBy?: string;
  doneAt?: string;
}

/**
 * The follow-ups as the timeline records them, by number: what the recap, the incident page and
 * the postmortem show. Pure, so the three never disagree.
 */
export function followUpsOf(timeline: readonly TimelineEntry[]): FollowUp[] {
  const byNumber = new Map<number, FollowUp>();
  for (const entry of timeline) {
    const number = entry.data.number;
    if (typeof number !== 'number') continue;
    if (entry.kind === 'follow-up' && typeof entry.data.text === 'string' && !byNumber.has(number)) {
      const { owner, dueAt } = entry.data;
      byNumber.set(number, {
        number,
        text: entry.data.text,
        ...(typeof owner === 'string' ? { owner } : {}),
        ...(typeof dueAt === 'string' ? { dueAt } : {}),
        addedBy: entry.actor,
        addedAt: entry.at,
        state: 'open',
      });
    }
  }
  for (const entry of timeline) {
    const item = entry.kind === 'follow-up-done' ? byNumber.get(entry.data.number as number) : undefined;
    if (item && item.state === 'open')
      Object.assign(item, { state: 'done', doneBy: entry.actor, doneAt: entry.at });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}
