import type { CheckName } from '../diag/finding';
import type { VerdictCode } from '../diag/verdict';
import { entriesOfKind } from './entries-of-kind';
import type { Incident, TimelineEntry } from './incident';
import type { RecapFacts } from './recap-facts';

/** The answer of a why that people still have to write. */
export const TO_COMPLETE = '_to complete_';
// Symptoms first, the infrastructure they depend on last: the order in which "why?" walks down.
const WHY_ORDER: readonly CheckName[] = [
  'health',
  'cloud-run',
  'logs',
  'database',
  // Ahead of the infrastructure: sql-iam-denied rests on iam and cloud-sql, and only three lines are quoted.
  'iam',
  // A firewall block is the cause the symptoms above it point to; network, connector and Cloud SQL only rule out others.
  'firewall',
  'network',
  'cloud-sql',
  'vpc-connector',
];
const INCONCLUSIVE: readonly VerdictCode[] = ['inconclusive', 'no-fault-found'];

/**
 * The five whys, prefilled from the most telling diagnosis (the latest with a conclusive verdict):
 * its evidence from symptom down to infrastructure, then the verdict's explanation. The deeper whys
 * are what the diagnosis cannot know, so they are left for people.
 */
export function fiveWhys(incident: Incident, timeline: readonly TimelineEntry[]): RecapFacts['fiveWhys'] {
  const runs = entriesOfKind(timeline, 'diag-finished').filter((e) => typeof e.data.verdict === 'string');
  const run = runs.filter((e) => !INCONCLUSIVE.includes(e.data.verdict as VerdictCode)).at(-1) ?? runs.at(-1);
  const rank = (line: string) => {
    const index = WHY_ORDER.indexOf(line.split(':')[0] as CheckName);
    return index < 0 ? WHY_ORDER.length : index;
  };
  // Written by the lifecycle code, but read back from Redis: a malformed list must not break the recap.
  const listed: unknown[] = Array.isArray(run?.data.evidence) ? run.data.evidence : [];
  const evidence = listed.filter((line): line is string => typeof line === 'string');
  const answers = [
    ...[...evidence].sort((a, b) => rank(a) - rank(b)).slice(0, 3),
    ...(run ? [run.data.explanation ?? run.data.title ?? String(run.data.verdict)] : []),
  ];
  return Array.from({ length: 5 }, (_, i) => ({
    question: i === 0 ? `Why did "${incident.title}" happen?` : 'Why?',
    answer: answers[i] ?? TO_COMPLETE,
  }));
}
