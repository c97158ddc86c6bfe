import type { NewTimelineEntry, TimelineEntry, TimelineKind } from './incident';

// `satisfies` makes the compiler fail here when a kind is added to TimelineKind and not to this list.
const KINDS = {
  opened: true,
  command: true,
  'diag-started': true,
  'diag-finished': true,
  finding: true,
  'remediation-requested': true,
  'remediation-approved': true,
  'remediation-denied': true,
  'remediation-done': true,
  'remediation-refused': true,
  'remediation-expired': true,
  verification: true,
  'watch-started': true,
  'watch-finished': true,
  page: true,
  'page-failed': true,
  reminder: true,
  ack: true,
  escalation: true,
  phase: true,
  'phase-overrun': true,
  status: true,
  note: true,
  pin: true,
  commander: true,
  pagerduty: true,
  closed: true,
  'follow-up': true,
  'follow-up-done': true,
  postmortem: true,
} as const satisfies Record<TimelineKind, true>;

/** A stream entry as XRANGE returns it: `[id, [field, value, …]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/**
 * The stream fields of an entry, in the order the Lua scripts pass to XADD: at, actor, kind,
 * text, data (JSON). A malformed entry is a programming error and throws a TypeError, so nothing
 * unreadable is ever written.
 */
export function encodeEntry(entry: NewTimelineEntry): [string, string, string, string, string] {
  if (!Number.isFinite(Date.parse(entry.at)))
    throw new TypeError(`Timeline entry time is invalid: ${entry.at}`);
  if (typeof entry.actor !== 'string' || entry.actor === '')
    throw new TypeError('Timeline entry needs an actor');
  if (!Object.hasOwn(KINDS, entry.kind)) throw new TypeError(`Unknown timeline entry kind: ${entry.kind}`);
  if (typeof entry.text !== 'string') throw new TypeError('Timeline entry text must be a string');
  if (!isPlainObject(entry.data)) throw new TypeError('Timeline entry data must be a plain object');
  return [entry.at, entry.actor, entry.kind, entry.text, JSON.stringify(entry.data)];
}

/** The entry, or why it cannot be read (a hand-edited or foreign entry is reported, not thrown). */
export function decodeEntry([id, pairs]: RawStreamEntry): { entry: TimelineEntry } | { problem: string } {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) fields.set(pairs[i], pairs[i + 1]);
  const at = fields.get('at');
  const actor = fields.get('actor');
  const kind = fields.get('kind');
  const text = fields.get('text');
  if (at === undefined || !Number.isFinite(Date.parse(at))) return { problem: `invalid at: ${at}` };
  if (!actor) return { problem: 'no actor' };
  if (kind === undefined || !Object.hasOwn(KINDS, kind)) return { problem: `unknown kind: ${kind}` };
  if (text === undefined) return { problem: 'no text' };
  let data: unknown;
  try {
    data = JSON.parse(fields.get('data') ?? '');
  } catch {
    return { problem: 'data is not JSON' };
  }
  if (!isPlainObject(data)) return { problem: 'data is not a JSON object' };
  return { entry: { id, at, actor, kind: kind as TimelineKind, text, data } };
}

/** Orders entries by when they happened, then by arrival (stream id) for entries of the same time. */
export function byTimeThenArrival(a: TimelineEntry, b: TimelineEntry): number {
  return Date.parse(a.at) - Date.parse(b.at) || compareStreamIds(a.id, b.id);
}

/** Stream ids (`<ms>-<seq>`) compared as numbers: as strings, `9-0` would sort after `10-0`. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
