import { scrubCredentials } from '../../log/scrub-credentials';
import type { Finding, FindingStatus } from '../finding';

/** What a pure judge returns: a Finding without the timing, which only the runner knows. */
export type Judgement = Omit<Finding, 'durationMs'>;

// `unknown` ranks above `warn`: a part we could not see is worse news than a part that looks strained.
const RANK: Record<FindingStatus, number> = { skipped: 0, ok: 1, warn: 2, unknown: 3, fail: 4 };

/**
 * The judgement with every credential shape removed from its text: findings quote Google's messages,
 * log lines and drivers' errors, and they are shown in Slack and on the incident page and stored.
 */
export function scrubJudgement(judgement: Judgement): Judgement {
  const { cannotRun } = judgement;
  return {
    ...judgement,
    summary: scrubCredentials(judgement.summary),
    details: judgement.details.map(scrubCredentials),
    evidence: Object.fromEntries(
      Object.entries(judgement.evidence).map(([key, value]) => [
        key,
        typeof value === 'string' ? scrubCredentials(value) : value,
      ]),
    ),
    ...(cannotRun
      ? {
          cannotRun: {
            reason: scrubCredentials(cannotRun.reason),
            ...(cannotRun.fix ? { fix: scrubCredentials(cannotRun.fix) } : {}),
          },
        }
      : {}),
  };
}

/** The most severe of several statuses (ok when there are none). */
export function worst(statuses: readonly FindingStatus[]): FindingStatus {
  return statuses.reduce<FindingStatus>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
}

/** Formats a 0–1 ratio as a percentage without decimals. */
export const percent = (ratio: number): string => `${Math.round(ratio * 100)} %`;

/** Formats a duration for a summary: "850 ms", "12.3 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Formats a byte rate: "512 B/s", "1.2 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
