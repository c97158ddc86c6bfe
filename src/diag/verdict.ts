import { readSignals, type Signals } from './checks/signals';
import type { Finding } from './finding';
import { VERDICT_CODES, VERDICT_RULES, type VerdictCode, type VerdictRule } from './verdict-rules';

export { VERDICT_CODES, VERDICT_RULES, type VerdictCode, type VerdictRule };

/** Where the fault most likely is, why, and what to do next. Plain data. */
export interface Verdict {
  code: VerdictCode;
  title: string;
  explanation: string;
  /** The findings the verdict rests on, as "check: summary" lines. */
  evidence: string[];
  nextStep: string;
  /** What could not be checked and why, e.g. "vpc-connector: permission denied — grant roles/vpcaccess.viewer …". */
  missing?: string[];
}

// A last resort that always matches, so decideVerdict returns even if the table stops covering a case.
const FALLBACK: VerdictRule = {
  id: 'nothing-ran',
  code: 'inconclusive',
  restsOn: [],
  when: () => true,
  explain: () => ({
    title: 'Inconclusive: nothing to judge',
    explanation: 'No check reported a result.',
    nextStep: 'Run the diagnosis again; if it keeps failing, check the worker logs.',
  }),
};

/** Applies the verdict table to the findings: the first matching rule decides. Pure. */
export function decideVerdict(findings: Finding[]): Verdict {
  const signals = readSignals(findings);
  const rule = VERDICT_RULES.find((candidate) => candidate.when(signals)) ?? FALLBACK;
  const { title, explanation, nextStep } = rule.explain(signals);
  const evidence = rule.restsOn
    .map((check) => signals.byCheck[check])
    // A check that could not run is not evidence; it is listed under what could not be checked.
    .filter((f): f is Finding => f !== undefined && f.status !== 'skipped' && f.status !== 'unknown')
    .map((f) => `${f.check}: ${f.summary}`);
  const missing = missingParts(signals);
  return {
    code: rule.code,
    title,
    explanation,
    evidence,
    nextStep,
    ...(missing.length > 0 ? { missing } : {}),
  };
}

/** What could not be checked: checks that could not run or did not report, and metrics that were not readable. */
function missingParts(signals: Signals): string[] {
  const lines: string[] = [];
  for (const check of signals.unknown) {
    const cannotRun = signals.byCheck[check]?.cannotRun;
    const reason = cannotRun?.reason ?? 'could not run';
    lines.push(`${check}: ${reason}${cannotRun?.fix ? ` — ${cannotRun.fix}` : ''}`);
  }
  for (const check of signals.absent) lines.push(`${check}: did not report`);
  const why = (gap: string | undefined) => (gap ? ` (${gap})` : '');
  if (signals.connectorMetrics === false && signals.connectorState !== 'NOT_FOUND') {
    lines.push(`vpc-connector: no Monitoring data for instances and CPU${why(signals.connectorMetricsGap)}`);
  }
  if (signals.sqlConnectionRatio === undefined && signals.sqlState && signals.sqlState !== 'NOT_FOUND') {
    lines.push(`cloud-sql: connection use not measured${why(signals.sqlMetricsGap)}`);
  }
  return lines;
}
