import { LuaScript } from '../chat/outbox-scripts';
import type { RedisClient } from '../queue/redis-client';
import type { IncidentKeys } from './incident-keys';
import { FOLD_PAGE, FOLDED_KINDS, STATE_SEEN } from './incident-state-scripts';
import { IncidentStoreError, incidentNotFound } from './incident-store-error';
import type { RawStreamEntry } from './timeline-codec';
import { decodeEntries, type IncidentStoreWarning } from './timeline-reader';

const FOLD_PAGE_SIZE = 1000;

/** Reads that find the state behind again after catching it up (entries keep coming without the scripts). */
const CATCH_UP_ROUNDS = 3;

/** Where a state read goes: the incident's keys, and where skipped entries are reported while folding. */
export interface StateSource {
  redis: RedisClient;
  keys: IncidentKeys;
  id: string;
  warn: (warning: IncidentStoreWarning) => void;
}

/**
 * What a read script of the state answers: what it read, or, when the timeline has entries the
 * state has not folded (or the state is not built), the state's `seen` ('' when not built).
 */
export type StateRead<T> = { read: T } | { behind: string };

/** The reply of a script that starts with STATE_BEHIND_REPLY: `{'behind', seen}` or what follows it. */
export function stateRead<T>(reply: unknown, read: (reply: unknown[]) => T): StateRead<T> {
  const items = reply as unknown[];
  return items[0] === 'behind' ? { behind: String(items[1]) } : { read: read(items) };
}

/**
 * Lua that opens a read script: it replies `{'behind', seen}` unless the state (KEYS[1]) has folded
 * every entry of the timeline (KEYS[2]). In the steady state that is one HMGET and an XRANGE that
 * finds nothing.
 */
export const STATE_BEHIND_REPLY = `${STATE_SEEN}
do
  local seen, behind = state_behind(KEYS[1], KEYS[2])
  if behind then return {'behind', seen or ''} end
end
`;

/**
 * What `read` answers once the state has folded the whole timeline: when `read` finds it behind,
 * the state catches up (or is built, the first time) from the entries after its `seen`, and `read`
 * runs again.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function readCurrentState<T>(
  source: StateSource,
  read: () => Promise<StateRead<T>>,
): Promise<T> {
  for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
    const result = await read();
    if ('read' in result) return result.read;
    await catchUp(source, result.behind);
  }
  throw new IncidentStoreError(
    'malformed_record',
    `The state hash ${source.keys.state(source.id)} fell behind its timeline as fast as it caught up; try again`,
  );
}

const READ_FIELDS = new LuaScript(`${STATE_BEHIND_REPLY}
return {'fields', redis.call('HMGET', KEYS[1], unpack(ARGV))}
`);

/**
 * The state hash's values of `fields`, by name: one script call (see `readCurrentState`).
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export function readStateFields(
  source: StateSource,
  fields: readonly string[],
): Promise<Map<string, string>> {
  const { redis, keys, id } = source;
  return readCurrentState(source, async () =>
    stateRead(await READ_FIELDS.run(redis, [keys.state(id), keys.timeline(id)], [...fields]), (reply) => {
      const values = reply[1] as Array<string | null>;
      const found = new Map<string, string>();
      fields.forEach((name, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) found.set(name, value);
      });
      return found;
    }),
  );
}

/**
 * Folds the entries after `seen` into the state hash and the by-time index, a page per script call
 * (see FOLD_PAGE), until none are left: every readable entry goes into the index, those that
 * change the state whole. From '' it builds them.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
async function catchUp({ redis, keys, id, warn }: StateSource, seen: string): Promise<void> {
  const foldKeys = [
    keys.record(id),
    keys.timeline(id),
    keys.state(id),
    keys.timelineByTime(id),
    ...keys.retiredState(id),
  ];
  let cursor = seen;
  let openedAtMs = '';
  for (;;) {
    if (cursor === '' && openedAtMs === '') {
      const openedAt = await redis.hget(keys.record(id), 'openedAt');
      if (openedAt === null) throw incidentNotFound(id);
      openedAtMs = String(Date.parse(openedAt));
    }
    const start = cursor === '' ? '-' : `(${cursor}`;
    const raw = (await redis.xrange(
      keys.timeline(id),
      start,
      '+',
      'COUNT',
      FOLD_PAGE_SIZE,
    )) as RawStreamEntry[];
    const args = decodeEntries(raw, keys.timeline(id), warn).flatMap((e) =>
      FOLDED_KINDS.has(e.kind)
        ? [e.id, Date.parse(e.at), e.at, e.actor, e.kind, e.text, JSON.stringify(e.data)]
        : [e.id, Date.parse(e.at), '', '', e.kind, '', ''],
    );
    const [status, next] = (await FOLD_PAGE.run(redis, foldKeys, [
      cursor,
      raw.at(-1)?.[0] ?? '',
      openedAtMs,
      ...args,
    ])) as [string, string?];
    if (status === 'ready') return;
    if (status === 'not_found') throw incidentNotFound(id);
    cursor = next ?? '';
  }
}
