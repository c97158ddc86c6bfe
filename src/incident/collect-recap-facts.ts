import type { Config, ContactTier } from '../config/schema';
import type { VerdictCode } from '../diag/verdict';
import { entriesOfKind } from './entries-of-kind';
import { escalationState } from './escalation';
import { fiveWhys } from './five-whys';
import { followUpsOf } from './follow-up';
import type { Incident, RemediationData, TimelineEntry } from './incident';
import { phaseHistory } from './phases';
import type { DiagRunFact, RecapFacts, RemediationFact, TierRecap } from './recap-facts';
import { recapFollowUps } from './recap-follow-ups';

const ms = (iso: string) => Date.parse(iso);
const byTime = <T extends { at: string }>(a: T, b: T) => ms(a.at) - ms(b.at);

/**
 * What the recap says. `now` is only used while the incident is open; without it the open
 * incident is measured to its latest timeline entry.
 */
export function collectRecapFacts(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases' | 'escalation'>,
  now?: Date,
): RecapFacts {
  const ordered = [...timeline].sort(byTime);
  const latest = ordered.at(-1)?.at ?? incident.openedAt;
  const history = phaseHistory(incident, ordered, config, now ?? new Date(latest));
  const state = escalationState(ordered);
  const end = ms(history.endedAt);
  const paging = (Object.values(state.tiers) as (typeof state.tiers)[ContactTier][])
    .filter((t) => t.firstPagedAt !== undefined)
    .map((t): TierRecap => {
      const waitedMs = t.timeToAckMs ?? end - ms(t.firstPagedAt as string);
      return {
        tier: t.tier,
        firstPagedAt: t.firstPagedAt as string,
        reasons: t.pages.map((p) => p.reason),
        users: [...new Set(t.pages.flatMap((p) => p.users))],
        ...(t.ack ? { ackedAt: t.ack.at, ackedBy: t.ack.user, timeToAckMs: t.timeToAckMs } : {}),
        slow: waitedMs > config.escalation.ackTimeoutMs,
        unpagedAcks: t.unpagedAcks,
        failures: t.failures,
      };
    });
  const diagRuns = entriesOfKind(ordered, 'diag-finished')
    .filter((e) => typeof e.data.verdict === 'string')
    .map(
      (e): DiagRunFact => ({
        at: e.at,
        runId: String(e.data.runId ?? ''),
        environment: String(e.data.environment ?? incident.environment),
        verdict: e.data.verdict as VerdictCode,
        title: String(e.data.title ?? ''),
      }),
    );
  const remediations = remediationFacts(ordered);
  const validation = config.phases.at(-1)?.name;
  const validationStart = history.visits.find((v) => v.phase === validation);
  const keyMoments = [
    { at: incident.openedAt, what: `Incident opened (${incident.severity}, ${incident.environment})` },
    ...diagRuns.slice(0, 1).map((d) => ({ at: d.at, what: `First verdict: ${d.verdict} — ${d.title}` })),
    ...remediations.map((r) => ({
      at: r.at,
      what: `Remediation ${r.action} of ${r.service}: ${r.state === 'done' ? (r.outcome ?? 'done') : r.state}`,
    })),
    ...(validationStart ? [{ at: validationStart.startedAt, what: `Phase ${validation} started` }] : []),
    // The proof of recovery: each verification watch's verdict.
    ...entriesOfKind(ordered, 'watch-finished').map((e) => ({
      at: e.at,
      what: `Validation watch of ${String(e.data.environment ?? incident.environment)}: ${String(e.data.outcome ?? (e.data.passed ? 'passed' : 'failed'))}`,
    })),
    ...(state.tiers.executive.firstPagedAt
      ? [{ at: state.tiers.executive.firstPagedAt, what: 'Executive tier paged' }]
      : []),
    ...(history.current ? [] : [{ at: history.endedAt, what: 'Incident closed' }]),
  ].sort(byTime);
  const facts: Omit<RecapFacts, 'fiveWhys' | 'followUps' | 'suggestedFollowUps'> = {
    incident,
    open: history.current !== undefined,
    endedAt: history.endedAt,
    totalMs: history.totalMs,
    expectedMs: config.phases.reduce((sum, p) => sum + p.budgetMs, 0),
    phases: history.phases,
    keyMoments,
    paging,
    otherAcks: state.otherAcks,
    diagRuns,
    remediations,
    statusUpdates: ordered
      .filter((e) => e.kind === 'status')
      .map((e) => ({ at: e.at, by: e.actor, text: e.text })),
  };
  const followUps = followUpsOf(ordered);
  const recorded = new Set(followUps.map((f) => f.text));
  return {
    ...facts,
    fiveWhys: fiveWhys(incident, ordered),
    followUps,
    suggestedFollowUps: recapFollowUps(facts, config).filter((text) => !recorded.has(text)),
  };
}

function remediationFacts(timeline: readonly TimelineEntry[]): RemediationFact[] {
  const byRequest = new Map<string, RemediationFact>();
  for (const entry of timeline) {
    if (!entry.kind.startsWith('remediation-') || typeof entry.data.requestId !== 'string') continue;
    // A dry run changed nothing; a refusal is on the timeline, not a remediation.
    if (entry.data.dryRun === true || entry.kind === 'remediation-refused') continue;
    const data = entry.data as Partial<RemediationData> & { requestId: string };
    const state = entry.kind.slice('remediation-'.length) as RemediationFact['state'];
    const known = byRequest.get(data.requestId);
    byRequest.set(data.requestId, {
      requestId: data.requestId,
      action: data.action ?? known?.action ?? '?',
      service: data.service ?? known?.service ?? '?',
      environment: data.environment ?? known?.environment ?? '?',
      ...((data.outcome ?? known?.outcome) ? { outcome: data.outcome ?? known?.outcome } : {}),
      ...(state === 'requested' ? { requestedAt: entry.at, requestedBy: entry.actor } : {}),
      ...(known?.requestedAt ? { requestedAt: known.requestedAt, requestedBy: known.requestedBy } : {}),
      state,
      at: entry.at,
    });
  }
  return [...byRequest.values()];
}
