import { createHash } from 'node:crypto';

/**
 * The first `length` hex digits of the SHA-256 of `text`: a short, stable id derived from another (job ids, Redis
 * keys, cookie names). Ids already stored depend on it, so the hash and the encoding stay as they are.
 */
export function shortDigest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
