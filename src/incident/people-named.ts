import type { Incident, TimelineEntry } from './incident';

/** The user and group ids Slack text mentions (`<@U…>`, `<!subteam^S…>`). */
export function mentionedIds(text: string): string[] {
  return [...text.matchAll(/<(?:@|!subteam\^)([UWS][A-Z0-9]+)/g)].map((m) => m[1] ?? '');
}

/** Every person the record names: to resolve their names once, for a page or a document. */
export function peopleNamed(
  incident: Pick<Incident, 'commander' | 'openedBy'>,
  timeline: readonly TimelineEntry[],
): string[] {
  const ids = new Set([incident.commander, incident.openedBy]);
  for (const entry of timeline) {
    ids.add(entry.actor);
    for (const id of mentionedIds(entry.text)) ids.add(id);
    for (const field of ['owner', 'user'] as const) {
      const value = entry.data[field];
      if (typeof value === 'string') ids.add(value);
    }
    if (Array.isArray(entry.data.users)) for (const user of entry.data.users) ids.add(String(user));
  }
  return [...ids];
}
