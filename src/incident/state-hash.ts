import type { Redis } from 'ioredis';
import type { IncidentKeys } from './incident-keys';
import { FOLDED_KINDS, REBUILD_STATE, STATE_VERSION } from './incident-state-scripts';
import { IncidentStoreError, incidentNotFound } from './incident-store-error';
import type { RawStreamEntry } from './timeline-codec';
import { decodeEntries, type IncidentStoreWarning } from './timeline-reader';

const REBUILD_PAGE = 1000;

/** Where a state read goes: the incident's keys, and where skipped entries are reported while building. */
export interface StateSource {
  redis: Redis;
  keys: IncidentKeys;
  id: string;
  warn: (warning: IncidentStoreWarning) => void;
}

/**
 * What `read` answers once the incident's state is built: `read` answers undefined while it is
 * not (missing, or of an older version), and the state is then built from the timeline, once.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function readBuiltState<T>(source: StateSource, read: () => Promise<T | undefined>): Promise<T> {
  const first = await read();
  if (first !== undefined) return first;
  await rebuildState(source);
  const built = await read();
  if (built !== undefined) return built;
  throw new IncidentStoreError(
    'malformed_record',
    `The state hash ${source.keys.state(source.id)} was deleted while it was built; try again`,
  );
}

/**
 * The state hash's values of `fields`, by name: one HMGET (see `readBuiltState`).
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export function readStateFields(
  source: StateSource,
  fields: readonly string[],
): Promise<Map<string, string>> {
  const { redis, keys, id } = source;
  return readBuiltState(source, async () => {
    const [version, ...values] = await redis.hmget(keys.state(id), 'v', ...fields);
    if (version !== STATE_VERSION) return undefined;
    const found = new Map<string, string>();
    fields.forEach((name, i) => {
      const value = values[i];
      if (value !== null && value !== undefined) found.set(name, value);
    });
    return found;
  });
}

/**
 * Folds the timeline into a new state hash and by-time index, a page per script call (see
 * REBUILD_STATE): every readable entry goes into the index, those that change the state whole.
 * @throws IncidentStoreError `not_found` when the incident's record is gone.
 */
export async function rebuildState({ redis, keys, id, warn }: StateSource): Promise<void> {
  const [openedAt, phase] = await redis.hmget(keys.record(id), 'openedAt', 'phase');
  if (openedAt === null) throw incidentNotFound(id);
  const stateKeys = [keys.record(id), keys.timeline(id), keys.state(id), keys.timelineByTime(id)];
  let cursor = (await redis.hget(keys.state(id), `rebuiltTo:${STATE_VERSION}`)) ?? '';
  for (;;) {
    const start = cursor === '' ? '-' : `(${cursor}`;
    const raw = (await redis.xrange(
      keys.timeline(id),
      start,
      '+',
      'COUNT',
      REBUILD_PAGE,
    )) as RawStreamEntry[];
    const args = decodeEntries(raw, keys.timeline(id), warn).flatMap((e) =>
      FOLDED_KINDS.has(e.kind)
        ? [e.id, Date.parse(e.at), e.at, e.actor, e.kind, e.text, JSON.stringify(e.data)]
        : [e.id, Date.parse(e.at), '', '', e.kind, '', ''],
    );
    const last = raw.at(-1)?.[0] ?? '';
    const [status, next] = (await REBUILD_STATE.run(redis, stateKeys, [
      cursor,
      last,
      Date.parse(openedAt),
      phase ?? '',
      ...args,
    ])) as [string, string?];
    if (status === 'ready') return;
    if (status === 'not_found') throw incidentNotFound(id);
    cursor = next ?? '';
  }
}
