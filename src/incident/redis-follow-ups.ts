import { LuaScript } from '../chat/outbox-scripts';
import type { RedisClient } from '../queue/redis-client';
import { FOLLOW_UPS_MAX, type FollowUp } from './follow-up';
import type { IncidentKeys } from './incident-keys';

/**
 * Adds a follow-up once per idempotency key, numbered from 1.
 * KEYS: follow-ups hash, incident record. ARGV: idempotency key, the follow-up as JSON (number 0), max.
 * Replies {'not_found'} | {'full'} | {'exists'|'added', json}.
 */
const ADD = new LuaScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return {'not_found'} end
local known = redis.call('HGET', KEYS[1], 'key:' .. ARGV[1])
if known then return {'exists', redis.call('HGET', KEYS[1], 'n:' .. known)} end
local n = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0') + 1
if n > tonumber(ARGV[3]) then return {'full'} end
local item = cjson.decode(ARGV[2])
item.number = n
local json = cjson.encode(item)
redis.call('HSET', KEYS[1], 'seq', n, 'key:' .. ARGV[1], n, 'n:' .. n, json)
return {'added', json}
`);

/**
 * Marks follow-up ARGV[1] done by ARGV[2] at ARGV[3], once. KEYS: follow-ups hash.
 * Replies {'unknown'} | {'already'|'done', json}.
 */
const DONE = new LuaScript(`
local json = redis.call('HGET', KEYS[1], 'n:' .. ARGV[1])
if not json then return {'unknown'} end
local item = cjson.decode(json)
if item.state == 'done' then return {'already', json} end
item.state = 'done'
item.doneBy = ARGV[2]
item.doneAt = ARGV[3]
json = cjson.encode(item)
redis.call('HSET', KEYS[1], 'n:' .. ARGV[1], json)
return {'done', json}
`);

export type AddedFollowUp = { kind: 'added' | 'exists'; followUp: FollowUp } | { kind: 'full' | 'not_found' };
export type DoneFollowUp = { kind: 'done' | 'already'; followUp: FollowUp } | { kind: 'unknown' };

/**
 * An incident's follow-ups as the commands read them: one hash per incident, so listing them and
 * finding an owner are one bounded read. The timeline records each change too; the recap reads that.
 */
export class RedisFollowUps {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<IncidentKeys, 'record' | 'followUps'>,
  ) {}

  async add(
    incidentId: string,
    item: Omit<FollowUp, 'number' | 'state'>,
    idempotencyKey: string,
  ): Promise<AddedFollowUp> {
    const [status, json] = (await ADD.run(
      this.redis,
      [this.keys.followUps(incidentId), this.keys.record(incidentId)],
      [idempotencyKey, JSON.stringify({ ...item, number: 0, state: 'open' }), FOLLOW_UPS_MAX],
    )) as [string, string?];
    if (status === 'full' || status === 'not_found') return { kind: status };
    return { kind: status === 'added' ? 'added' : 'exists', followUp: JSON.parse(json ?? '{}') };
  }

  async done(incidentId: string, number: number, by: string, at: string): Promise<DoneFollowUp> {
    const [status, json] = (await DONE.run(
      this.redis,
      [this.keys.followUps(incidentId)],
      [number, by, at],
    )) as [string, string?];
    if (status === 'unknown') return { kind: 'unknown' };
    return { kind: status === 'done' ? 'done' : 'already', followUp: JSON.parse(json ?? '{}') };
  }

  async get(incidentId: string, number: number): Promise<FollowUp | undefined> {
    const json = await this.redis.hget(this.keys.followUps(incidentId), `n:${number}`);
    return json ? (JSON.parse(json) as FollowUp) : undefined;
  }

  /** Every follow-up of the incident, by number. */
  async list(incidentId: string): Promise<FollowUp[]> {
    const hash = await this.redis.hgetall(this.keys.followUps(incidentId));
    return Object.entries(hash)
      .filter(([field]) => field.startsWith('n:'))
      .map(([, json]) => JSON.parse(json) as FollowUp)
      .sort((a, b) => a.number - b.number);
  }
}
