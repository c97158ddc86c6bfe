import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook's signature did not hold, or that it did. */
export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'forged';

const V1 = /^v1=([0-9a-f]{64})$/i;

/**
 * Checks `X-PagerDuty-Signature` (Webhooks v3): one or more comma-separated `v1=<hex HMAC-SHA256
 * of the raw body>`, any of which may match (PagerDuty sends two while a secret is rotated).
 * Compared in constant time. Signatures of another version, bad hex or the wrong length are
 * skipped; a header with none of the v1 shape is `malformed`.
 */
export function checkPagerDutySignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secret: string,
): SignatureCheck {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return 'missing';
  const candidates = value
    .split(',')
    .map((part) => V1.exec(part.trim())?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  if (candidates.length === 0) return 'malformed';
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // Every candidate is compared, so the time taken does not say which one (if any) matched.
  let matched = false;
  for (const candidate of candidates) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched ? 'valid' : 'forged';
}

/** The header value PagerDuty would send for `rawBody` signed with each of `secrets`. */
export function pagerDutySignature(rawBody: Buffer | string, ...secrets: string[]): string {
  return secrets
    .map((secret) => `v1=${createHmac('sha256', secret).update(rawBody).digest('hex')}`)
    .join(',');
}
