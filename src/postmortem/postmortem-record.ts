import { randomUUID } from 'node:crypto';
import type { DriveDocument } from '../gcp/cloud-gateway';
import type { IncidentKeys } from '../incident/incident-keys';
import type { RedisClient } from '../queue/redis-client';

/** How long one attempt may hold the claim to write an incident's document. */
const CLAIM_MS = 120_000;

/**
 * Where an incident's postmortem document is recorded in Redis: its id and link once created, a
 * `pending` mark while a create is in flight (left behind if the process dies before Drive's
 * answer is recorded, so the next attempt looks in the folder before it creates), and a short
 * claim so two attempts never write at once.
 */
export class PostmortemRecord {
  private readonly key: (id: string) => string;

  constructor(
    private readonly redis: RedisClient,
    keys: Pick<IncidentKeys, 'postmortem'>,
  ) {
    this.key = keys.postmortem;
  }

  async get(incidentId: string): Promise<{ document?: DriveDocument; pending: boolean }> {
    const hash = await this.redis.hgetall(this.key(incidentId));
    return {
      ...(hash.fileId && hash.link ? { document: { id: hash.fileId, webViewLink: hash.link } } : {}),
      pending: hash.pending === '1',
    };
  }

  /** The claim's token, or undefined while another attempt holds it. */
  async claim(incidentId: string): Promise<string | undefined> {
    const token = randomUUID();
    const set = await this.redis.set(`${this.key(incidentId)}:claim`, token, 'PX', CLAIM_MS, 'NX');
    return set === 'OK' ? token : undefined;
  }

  async release(incidentId: string, token: string): Promise<void> {
    const key = `${this.key(incidentId)}:claim`;
    if ((await this.redis.get(key)) === token) await this.redis.del(key);
  }

  markPending(incidentId: string): Promise<number> {
    return this.redis.hset(this.key(incidentId), 'pending', '1');
  }

  /** Drive answered that it created nothing (a 4xx): the next attempt need not look for a document. */
  async clearPending(incidentId: string): Promise<void> {
    await this.redis.hdel(this.key(incidentId), 'pending');
  }

  async record(incidentId: string, document: DriveDocument): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(incidentId), 'fileId', document.id, 'link', document.webViewLink)
      .hdel(this.key(incidentId), 'pending')
      .exec();
  }
}
