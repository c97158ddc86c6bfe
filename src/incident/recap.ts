import { context, escapeText, header, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import type { Config, ContactTier } from '../config/schema';
import type { CheckName } from '../diag/finding';
import type { VerdictCode } from '../diag/verdict';
import { type AckRecord, escalationState, type PagerFailure } from './escalation';
import type { Incident, PagerReason, RemediationData, TimelineData, TimelineEntry } from './incident';
import { type PhaseTotal, phaseHistory } from './phases';

/** Who was paged at one tier and how it went. */
export interface TierRecap {
  tier: ContactTier;
  firstPagedAt: string;
  reasons: PagerReason[];
  /** Every user paged at the tier, once each, in order. */
  users: string[];
  ackedAt?: string;
  ackedBy?: string;
  timeToAckMs?: number;
  /** Acknowledged later than `escalation.ackTimeout`, or not at all once it had passed. */
  slow: boolean;
  unpagedAcks: AckRecord[];
  failures: PagerFailure[];
}

export interface DiagRunFact {
  at: string;
  runId: string;
  environment: string;
  verdict: VerdictCode;
  title: string;
}

export interface RemediationFact extends RemediationData {
  requestedAt?: string;
  requestedBy?: string;
  /** The latest thing that happened to the request. */
  state: 'requested' | 'approved' | 'denied' | 'expired' | 'done';
  at: string;
}

/** The numbers and lists the recap renders, so tests can check them without parsing text. */
export interface RecapFacts {
  incident: Incident;
  open: boolean;
  endedAt: string;
  totalMs: number;
  /** The sum of the configured phase budgets. */
  expectedMs: number;
  phases: PhaseTotal[];
  keyMoments: { at: string; what: string }[];
  paging: TierRecap[];
  /** Acknowledgements naming no tier by people who were not paged. */
  otherAcks: AckRecord[];
  diagRuns: DiagRunFact[];
  remediations: RemediationFact[];
  statusUpdates: { at: string; by: string; text: string }[];
  /** Five questions; answers not derived from the diagnosis read `TO_COMPLETE`. */
  fiveWhys: { question: string; answer: string }[];
  followUps: string[];
}

/** The answer of a why that people still have to write. */
export const TO_COMPLETE = '_to complete_';
// Symptoms first, the infrastructure they depend on last: the order in which "why?" walks down.
const WHY_ORDER: readonly CheckName[] = [
  'health',
  'cloud-run',
  'logs',
  'database',
  'network',
  'cloud-sql',
  'vpc-connector',
];
const INCONCLUSIVE: readonly VerdictCode[] = ['inconclusive', 'no-fault-found'];
const ms = (iso: string) => Date.parse(iso);
const byTime = <T extends { at: string }>(a: T, b: T) => ms(a.at) - ms(b.at);
const ofKind = <K extends keyof TimelineData>(timeline: readonly TimelineEntry[], kind: K) =>
  timeline.filter((e) => e.kind === kind).map((e) => ({ ...e, data: e.data as Partial<TimelineData[K]> }));

/**
 * What the recap says. `now` is only used while the incident is open; without it the open
 * incident is measured to its latest timeline entry.
 */
export function recapFacts(
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
  const diagRuns = ofKind(ordered, 'diag-finished')
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
    ...ofKind(ordered, 'watch-finished').map((e) => ({
      at: e.at,
      what: `Validation watch of ${String(e.data.environment ?? incident.environment)}: ${String(e.data.outcome ?? (e.data.passed ? 'passed' : 'failed'))}`,
    })),
    ...(state.tiers.executive.firstPagedAt
      ? [{ at: state.tiers.executive.firstPagedAt, what: 'Executive tier paged' }]
      : []),
    ...(history.current ? [] : [{ at: history.endedAt, what: 'Incident closed' }]),
  ].sort(byTime);
  const facts: Omit<RecapFacts, 'fiveWhys' | 'followUps'> = {
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
  return { ...facts, fiveWhys: fiveWhys(incident, ordered), followUps: recapFollowUps(facts, config) };
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

/**
 * The five whys, prefilled from the most telling diagnosis (the latest with a conclusive verdict):
 * its evidence from symptom down to infrastructure, then the verdict's explanation. The deeper whys
 * are what the diagnosis cannot know, so they are left for people.
 */
function fiveWhys(incident: Incident, timeline: readonly TimelineEntry[]): RecapFacts['fiveWhys'] {
  const runs = ofKind(timeline, 'diag-finished').filter((e) => typeof e.data.verdict === 'string');
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

// What people wanted after the staging outage (OUTAGE.md), keyed by what the diagnosis found.
const VERDICT_FOLLOW_UPS: Partial<Record<VerdictCode, string[]>> = {
  'vpc-connector-down': [
    'Alert on VPC connector state and capacity',
    'Automated connector health checks',
    'Redundant connectivity path to Cloud SQL (e.g. Direct VPC egress)',
  ],
  'vpc-connector-saturated': [
    'Alert on connector capacity (instances, CPU)',
    'Connector scaling thresholds (max instances, machine type)',
  ],
  'network-mismatch': [
    'Regression tests for infrastructure health (Cloud Run → connector → Cloud SQL route)',
  ],
  'cloud-sql-unavailable': ['Alert on Cloud SQL connectivity and instance state'],
  'cloud-sql-connections-exhausted': [
    'Alert on Cloud SQL connection use; keep pool size × instances below max_connections',
  ],
  'application-error': ['Regression test for the failure that took the services down'],
  'restart-needed': ['Let services retry their database connection at start-up instead of exiting'],
  inconclusive: ['Give the diagnosis the access it lacked, so the next verdict is conclusive'],
};

/** Follow-up items derived from what happened; people add the rest. */
function recapFollowUps(
  facts: Omit<RecapFacts, 'fiveWhys' | 'followUps'>,
  config: Pick<Config, 'escalation'>,
): string[] {
  const items = facts.diagRuns.flatMap((run) => VERDICT_FOLLOW_UPS[run.verdict] ?? []);
  for (const phase of facts.phases) {
    if (phase.budgetMs !== undefined && (phase.deltaMs ?? 0) > 0) {
      items.push(
        `Runbook for ${phase.name} (took ${formatDuration(phase.actualMs)}, expected ${formatDuration(phase.budgetMs)})`,
      );
    }
  }
  const timeout = formatDuration(config.escalation.ackTimeoutMs);
  for (const tier of facts.paging) {
    if (tier.slow) {
      const waited =
        tier.timeToAckMs === undefined
          ? 'never acknowledged'
          : `acknowledged after ${formatDuration(tier.timeToAckMs)}`;
      items.push(`Review paging for ${tier.tier} (${waited}; timeout ${timeout})`);
    }
    for (const contact of new Set(tier.failures.map((f) => f.contact))) {
      items.push(`Fix paging for ${tier.tier}: ${contact} could not be paged`);
    }
  }
  for (const fix of facts.remediations.filter(
    (r) => r.state === 'done' && r.outcome?.startsWith('succeeded'),
  )) {
    items.push(`Consider automated recovery: ${fix.action} of ${fix.service} (${fix.environment})`);
  }
  return [...new Set(items)];
}

const bullets = (lines: string[]) =>
  lines.length > 0 ? lines.map((line) => `• ${line}`).join('\n') : '_none_';
const user = (id: string) => `<@${id}>`;

function overUnder(deltaMs: number): string {
  if (deltaMs === 0) return 'on budget';
  return `${formatDuration(Math.abs(deltaMs))} ${deltaMs > 0 ? 'over' : 'under'}`;
}

function phaseLine(phase: PhaseTotal): string {
  const name = `*${escapeText(phase.name)}*`;
  if (phase.status === 'skipped' || phase.status === 'pending') return `${name} ${phase.status}`;
  const visits = phase.visits > 1 ? ` (${phase.visits} visits)` : '';
  const running = phase.status === 'current' ? ', in progress' : '';
  const budget =
    phase.budgetMs === undefined
      ? ' (no budget)'
      : ` of ${formatDuration(phase.budgetMs)} — ${overUnder(phase.deltaMs ?? 0)}`;
  return `${name} ${formatDuration(phase.actualMs)}${visits}${budget}${running}`;
}

function pagingLine(tier: TierRecap): string {
  const paged = `*${tier.tier}* paged ${slackDate(tier.firstPagedAt)} (${[...new Set(tier.reasons)].join(', ')}): ${tier.users.map(user).join(', ')}`;
  const ack =
    tier.ackedBy && tier.timeToAckMs !== undefined
      ? `acknowledged by ${user(tier.ackedBy)} after ${formatDuration(tier.timeToAckMs)}${tier.slow ? ' :warning:' : ''}`
      : `not acknowledged${tier.slow ? ' :warning:' : ''}`;
  const extra = [
    ...tier.unpagedAcks.map((a) => `also acknowledged by ${user(a.user)} (not paged)`),
    ...tier.failures.map((f) => `could not page ${user(f.user)} (${escapeText(f.error)})`),
  ];
  return [paged, ack, ...extra].join(' — ');
}

/** The recap posted at close (or on demand): Block Kit, with a text fallback that carries the gist. */
export function renderRecap(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases' | 'escalation'>,
  now?: Date,
  /** The incident page, when the pages are on: the full timeline and the phase chart. */
  pageUrl?: string,
): ChatMessage {
  const f = recapFacts(incident, timeline, config, now);
  const when = f.open ? 'open for' : 'resolved in';
  const total = `${when} ${formatDuration(f.totalMs)} (expected ${formatDuration(f.expectedMs)}, ${overUnder(f.totalMs - f.expectedMs)})`;
  const summary = [
    `*${escapeText(incident.id)}* · ${incident.severity} · ${escapeText(incident.environment)} · commander ${user(incident.commander)}`,
    `Opened ${slackDate(incident.openedAt)}${f.open ? '' : ` · closed ${slackDate(f.endedAt)}`} · *${total}*`,
    ...(incident.resolution ? [`Resolution: ${escapeText(incident.resolution)}`] : []),
    ...(pageUrl ? [`<${pageUrl}|Incident page>: the full timeline, the phase chart and every check`] : []),
  ];
  const sections: [string, string[]][] = [
    ['Phases', f.phases.map(phaseLine)],
    ['Key moments', f.keyMoments.map((m) => `${slackDate(m.at)} ${escapeText(m.what)}`)],
    [
      'Paging',
      [...f.paging.map(pagingLine), ...f.otherAcks.map((a) => `${user(a.user)} acknowledged (not paged)`)],
    ],
    [
      'Diagnoses',
      f.diagRuns.map(
        (d) => `${slackDate(d.at)} \`${d.verdict}\` — ${escapeText(d.title)} (run ${escapeText(d.runId)})`,
      ),
    ],
    [
      'Remediation',
      f.remediations.map(
        (r) =>
          `${escapeText(`${r.action} of ${r.service} (${r.environment})`)}: ${escapeText(r.state === 'done' ? (r.outcome ?? 'done') : r.state)}${r.requestedBy ? ` — requested by ${user(r.requestedBy)}` : ''}`,
      ),
    ],
    ['Status updates', f.statusUpdates.map((s) => `${slackDate(s.at)} ${user(s.by)}: ${escapeText(s.text)}`)],
  ];
  const whys = f.fiveWhys.map(
    (w, i) =>
      `${i + 1}. ${escapeText(w.question)} → ${w.answer === TO_COMPLETE ? w.answer : escapeText(w.answer)}`,
  );
  return {
    text: `Recap of ${escapeText(incident.title)}: ${total}; ${f.followUps.length} follow-ups`,
    blocks: [
      header(`Recap: ${incident.title}`),
      section(summary.join('\n')),
      ...sections.map(([title, lines]) => section(`*${title}*\n${bullets(lines)}`)),
      section(`*Five whys* (finish them together)\n${whys.join('\n')}`),
      section(`*Follow-ups*\n${bullets(f.followUps.map(escapeText))}`),
      ...(f.open ? [context('The incident is still open: figures run to now.')] : []),
    ],
  };
}
