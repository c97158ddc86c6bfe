import type { KeyPrefix } from '../queue/key-prefix';
import type { RedisClient } from '../queue/redis-client';
import type { DiagRun, DiagRunMeta } from './diag-run';
import type { CheckName, CheckState, Finding } from './finding';
import type { Verdict } from './verdict';

/** Runs are evidence for the post-mortem: kept a month. */
const RUN_TTL_SECONDS = 30 * 24 * 3600;

// Claims "the running diag of <env> in <channel>" unless another run holds it; returns the holder.
const CLAIM_ACTIVE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

const RELEASE_ACTIVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const FINISH = `
if redis.call('HSETNX', KEYS[1], 'verdict', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'finishedAt', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1`;

/**
 * Diag runs in Redis: a hash per run (meta, per-check state and finding, verdict) with a version
 * that increases on every change, so whoever renders the live message can tell it is stale.
 */
export class RedisDiagRunStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: KeyPrefix,
  ) {}

  private runKey(id: string): string {
    return `${this.prefix.tag}:diag:run:${id}`;
  }

  private activeKey(channelId: string, environment: string): string {
    return `${this.prefix.tag}:diag:active:${channelId}:${environment}`;
  }

  /** The id of the run that now holds the slot: `runId` itself, or the one already running. */
  async claimActive(channelId: string, environment: string, runId: string, ttlMs: number): Promise<string> {
    return String(
      await this.redis.eval(CLAIM_ACTIVE, 1, this.activeKey(channelId, environment), runId, ttlMs),
    );
  }

  async releaseActive(channelId: string, environment: string, runId: string): Promise<void> {
    await this.redis.eval(RELEASE_ACTIVE, 1, this.activeKey(channelId, environment), runId);
  }

  /** Records a new run; a second call for the same id changes nothing. */
  async create(meta: DiagRunMeta): Promise<void> {
    const key = this.runKey(meta.id);
    await this.redis.multi().hsetnx(key, 'meta', JSON.stringify(meta)).expire(key, RUN_TTL_SECONDS).exec();
  }

  async setState(id: string, check: CheckName, state: CheckState): Promise<void> {
    await this.write(id, `state:${check}`, state);
  }

  async setFinding(finding: Finding, id: string): Promise<void> {
    await this.write(id, `finding:${finding.check}`, JSON.stringify(finding));
  }

  /** Records the verdict once; false when the run already had one (another worker finished it). */
  async finish(id: string, verdict: Verdict, finishedAt: string): Promise<boolean> {
    const set = await this.redis.eval(FINISH, 1, this.runKey(id), JSON.stringify(verdict), finishedAt);
    return Number(set) === 1;
  }

  async version(id: string): Promise<number> {
    return Number((await this.redis.hget(this.runKey(id), 'version')) ?? 0);
  }

  /** The run and the version it was read at; undefined when unknown or expired. */
  async get(id: string): Promise<{ run: DiagRun; version: number } | undefined> {
    const hash = await this.redis.hgetall(this.runKey(id));
    if (!hash.meta) return undefined;
    const meta = JSON.parse(hash.meta) as DiagRunMeta;
    const run: DiagRun = { ...meta, states: {}, findings: {} };
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('state:')) run.states[field.slice(6) as CheckName] = value as CheckState;
      if (field.startsWith('finding:'))
        run.findings[field.slice(8) as CheckName] = JSON.parse(value) as Finding;
    }
    if (hash.verdict) run.verdict = JSON.parse(hash.verdict) as Verdict;
    if (hash.finishedAt) run.finishedAt = hash.finishedAt;
    return { run, version: Number(hash.version ?? 0) };
  }

  private async write(id: string, field: string, value: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.runKey(id), field, value)
      .hincrby(this.runKey(id), 'version', 1)
      .exec();
  }
}
