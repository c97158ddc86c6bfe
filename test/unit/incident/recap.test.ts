import type { KnownBlock } from '@slack/types';
import { slackDate } from '../../../src/chat/slack-date';
import { DEFAULT_PHASES } from '../../../src/config/schema';
import { collectRecapFacts } from '../../../src/incident/collect-recap-facts';
import { TO_COMPLETE } from '../../../src/incident/five-whys';
import type { Incident, TimelineEntry, TimelineKind } from '../../../src/incident/incident';
import { renderRecap } from '../../../src/incident/render-recap';
import { renderText } from '../../../src/shell/render-text';

const MIN = 60_000;
const HOUR = 60 * MIN;
// The staging outage: opened late on 31 January, closed early on 1 February.
const t = (hhmm: string) => `${hhmm < '12' ? '2026-02-01' : '2026-01-31'}T${hhmm}:00.000Z`;
const config = {
  phases: DEFAULT_PHASES.map((p) => ({ ...p })),
  escalation: { ackTimeoutMs: 3 * MIN, executiveAfterMs: 4 * HOUR },
};

const incident: Incident = {
  id: 'inc-20260131-staging',
  title: 'Staging answers 503',
  severity: 'P1',
  environment: 'staging',
  channelId: 'C1',
  channelName: 'inc-staging-503',
  status: 'closed',
  commander: 'UPRIMARY',
  openedBy: 'UPRIMARY',
  openedAt: t('23:10'),
  closedAt: t('02:40'),
  resolution: 'Connector redeployed; services healthy for 30 minutes',
  phase: 'validation',
};

let seq = 0;
function entry(
  kind: TimelineKind,
  at: string,
  data: Record<string, unknown> = {},
  actor = 'warroom',
  text = '',
) {
  seq += 1;
  return { id: `${Date.parse(at)}-${seq}`, at, actor, kind, text, data } satisfies TimelineEntry;
}
const fix = { requestId: 'r1', action: 'redeploy', service: 'backend', environment: 'staging' };
const verdict = {
  runId: 'd1',
  environment: 'staging',
  verdict: 'vpc-connector-down',
  title: 'VPC connector staging-connector is ERROR',
  explanation:
    'Cloud Run reaches the Cloud SQL private IP only through this connector, and it is ERROR, not READY.',
  evidence: [
    'vpc-connector: ERROR, 3/3 instances',
    'database: connect timed out after 20 s',
    'cloud-run: 2/2 services not ready: exit code 3 at start-up',
    'health: 2/2 endpoints answer 503',
  ],
};
const outage: TimelineEntry[] = [
  entry('opened', t('23:10'), {}, 'UPRIMARY'),
  entry('page', t('23:10'), {
    tier: 'primary',
    contact: 'infra-oncall',
    users: ['UPRIMARY'],
    reason: 'open',
  }),
  entry('diag-started', t('23:11'), { runId: 'd1' }),
  entry('diag-finished', t('23:12'), verdict),
  entry('escalation', t('23:13'), { from: 'primary', to: 'secondary', reason: 'timeout' }),
  entry('page', t('23:13'), {
    tier: 'secondary',
    contact: 'gcp-support',
    users: ['USECOND'],
    reason: 'timeout',
  }),
  entry('ack', t('23:14'), { tier: 'primary', user: 'UPRIMARY', paged: true }, 'UPRIMARY'),
  entry('ack', t('23:15'), { tier: 'secondary', user: 'USECOND', paged: true }, 'USECOND'),
  entry('status', t('23:30'), {}, 'UPRIMARY', 'Connector in ERROR; all staging services down'),
  entry('phase', t('00:25'), { from: 'diagnostic', to: 'restoration' }, 'UPRIMARY'),
  entry('remediation-requested', t('00:30'), fix, 'UPRIMARY'),
  entry('remediation-approved', t('00:32'), fix, 'USECOND'),
  entry('remediation-done', t('01:40'), { ...fix, outcome: 'succeeded' }),
  entry('phase', t('02:05'), { from: 'restoration', to: 'validation' }, 'UPRIMARY'),
  entry('status', t('02:10'), {}, 'UPRIMARY', 'Health endpoints 200; watching for 30 minutes'),
  entry('closed', t('02:40'), { resolution: incident.resolution }, 'UPRIMARY'),
];

const blockText = (blocks: KnownBlock[] = []) =>
  blocks
    .map((b) => (b.type === 'section' || b.type === 'header' ? (b.text?.text ?? '') : JSON.stringify(b)))
    .join('\n');

describe('collectRecapFacts for the staging outage', () => {
  const facts = collectRecapFacts(incident, outage, config);

  it('measures the incident from opening to close, against the 4 h expected', () => {
    expect([facts.open, facts.totalMs, facts.expectedMs]).toEqual([false, 3.5 * HOUR, 4 * HOUR]);
  });

  it('compares each phase with its budget', () => {
    expect(facts.phases.map((p) => [p.name, p.actualMs, p.budgetMs, p.deltaMs, p.visits])).toEqual([
      ['diagnostic', 75 * MIN, HOUR, 15 * MIN, 1],
      ['restoration', 100 * MIN, 2 * HOUR, -20 * MIN, 1],
      ['validation', 35 * MIN, HOUR, -25 * MIN, 1],
    ]);
  });

  it('lists the key moments in time order', () => {
    expect(facts.keyMoments).toEqual([
      { at: t('23:10'), what: 'Incident opened (P1, staging)' },
      {
        at: t('23:12'),
        what: 'First verdict: vpc-connector-down — VPC connector staging-connector is ERROR',
      },
      { at: t('01:40'), what: 'Remediation redeploy of backend: succeeded' },
      { at: t('02:05'), what: 'Phase validation started' },
      { at: t('02:40'), what: 'Incident closed' },
    ]);
  });

  it('gives who was paged per tier, when, and how long the ack took', () => {
    expect(
      facts.paging.map((p) => [p.tier, p.firstPagedAt, p.reasons, p.ackedBy, p.timeToAckMs, p.slow]),
    ).toEqual([
      ['primary', t('23:10'), ['open'], 'UPRIMARY', 4 * MIN, true],
      ['secondary', t('23:13'), ['timeout'], 'USECOND', 2 * MIN, false],
    ]);
  });

  it('lists diagnoses, remediation and status updates', () => {
    expect(facts.diagRuns).toEqual([
      {
        at: t('23:12'),
        runId: 'd1',
        environment: 'staging',
        verdict: 'vpc-connector-down',
        title: verdict.title,
      },
    ]);
    expect(facts.remediations).toEqual([
      {
        ...fix,
        outcome: 'succeeded',
        state: 'done',
        at: t('01:40'),
        requestedAt: t('00:30'),
        requestedBy: 'UPRIMARY',
      },
    ]);
    expect(facts.statusUpdates.map((s) => [s.at, s.text])).toEqual([
      [t('23:30'), 'Connector in ERROR; all staging services down'],
      [t('02:10'), 'Health endpoints 200; watching for 30 minutes'],
    ]);
  });

  it('prefills the five whys from symptom down to the verdict and leaves the root for people', () => {
    expect(facts.fiveWhys).toEqual([
      { question: 'Why did "Staging answers 503" happen?', answer: 'health: 2/2 endpoints answer 503' },
      { question: 'Why?', answer: 'cloud-run: 2/2 services not ready: exit code 3 at start-up' },
      { question: 'Why?', answer: 'database: connect timed out after 20 s' },
      { question: 'Why?', answer: verdict.explanation },
      { question: 'Why?', answer: TO_COMPLETE },
    ]);
  });

  it('suggests follow-ups from the verdict, the phase overrun, the slow ack and the fix', () => {
    expect(facts.followUps).toEqual([]);
    expect(facts.suggestedFollowUps).toEqual([
      'Alert on VPC connector state and capacity',
      'Automated connector health checks',
      'Redundant connectivity path to Cloud SQL (e.g. Direct VPC egress)',
      'Write a runbook for diagnostic (took 1h 15m, expected 1h)',
      'Review paging for primary (acknowledged after 4m; timeout 3m)',
      'Consider automated recovery: redeploy of backend (staging)',
    ]);
  });
});

describe('renderRecap', () => {
  const message = renderRecap(incident, outage, config);
  const text = blockText(message.blocks);

  it('carries the gist in the notification text', () => {
    expect(message.text).toBe(
      'Recap of Staging answers 503: resolved in 3h 30m (expected 4h, 30m under); 0 follow-ups',
    );
  });

  it('renders times as Slack date tokens with a UTC fallback, across midnight', () => {
    expect(text).toContain(`Opened ${slackDate(t('23:10'))} · closed ${slackDate(t('02:40'))}`);
    expect(text).toContain('|2026-02-01 02:40:00 UTC>');
  });

  it.each([
    '*diagnostic* 1h 15m of 1h — 15m over',
    '*restoration* 1h 40m of 2h — 20m under',
    '*primary* paged',
    'acknowledged in Slack by <@UPRIMARY> after 4m :warning:',
    '`vpc-connector-down` — VPC connector staging-connector is ERROR (run d1)',
    'redeploy of backend (staging): succeeded — requested by <@UPRIMARY>',
    '5. Why? → _to complete_',
    '• Write a runbook for diagnostic (took 1h 15m, expected 1h)',
  ])('shows %p', (line) => {
    expect(text).toContain(line);
  });

  it('renders in the shell without losing the sections', () => {
    const shell = renderText(message);
    for (const title of [
      'Phases',
      'Key moments',
      'Paging',
      'Diagnoses',
      'Remediation',
      'Status updates',
      'Five whys',
      'Follow-ups',
    ]) {
      expect(shell).toContain(title);
    }
  });
});

describe('recap edge cases', () => {
  it('shows a skipped phase as skipped and a revisited one with its visit count', () => {
    const timeline = [
      entry('phase', t('23:40'), { from: 'diagnostic', to: 'restoration' }),
      entry('phase', t('23:50'), { from: 'restoration', to: 'diagnostic' }),
      entry('phase', t('00:10'), { from: 'diagnostic', to: 'restoration' }),
    ];
    const text = blockText(renderRecap({ ...incident, closedAt: t('00:40') }, timeline, config).blocks);
    expect(text).toContain('*diagnostic* 50m (2 visits) of 1h — 10m under');
    expect(text).toContain('*validation* skipped');
  });

  it('measures an open incident to now and says so', () => {
    const open = { ...incident, status: 'open' as const, closedAt: undefined, resolution: undefined };
    const timeline = outage.filter((e) => Date.parse(e.at) <= Date.parse(t('01:00')));
    const facts = collectRecapFacts(open, timeline, config, new Date(t('01:10')));
    expect([facts.open, facts.totalMs]).toEqual([true, 2 * HOUR]);
    expect(facts.phases.map((p) => p.status)).toEqual(['done', 'current', 'pending']);
    const message = renderRecap(open, timeline, config, new Date(t('01:10')));
    expect(message.text).toContain('open for 2h');
    expect(blockText(message.blocks)).toContain('still open');
  });

  it('leaves every why to people when no diagnosis ran, and flags a tier that never acknowledged', () => {
    const timeline = [
      entry('page', t('23:10'), {
        tier: 'primary',
        contact: 'infra-oncall',
        users: ['UPRIMARY'],
        reason: 'open',
      }),
      entry('page-failed', t('23:10'), {
        tier: 'primary',
        contact: 'infra-oncall',
        user: 'UGONE',
        error: 'user_not_found',
      }),
      entry('ack', t('23:12'), { tier: 'primary', user: 'UBYSTANDER', paged: false }, 'UBYSTANDER'),
    ];
    const facts = collectRecapFacts({ ...incident, closedAt: t('23:40') }, timeline, config);
    expect(facts.fiveWhys.map((w) => w.answer)).toEqual(Array(5).fill(TO_COMPLETE));
    expect(facts.paging[0]).toMatchObject({ tier: 'primary', slow: true });
    expect(facts.paging[0].timeToAckMs).toBeUndefined();
    expect(facts.suggestedFollowUps).toEqual([
      'Review paging for primary (never acknowledged; timeout 3m)',
      'Fix paging for primary: infra-oncall could not be paged',
    ]);
    const text = blockText(renderRecap({ ...incident, closedAt: t('23:40') }, timeline, config).blocks);
    expect(text).toContain('not acknowledged :warning: — also acknowledged by <@UBYSTANDER> (not paged)');
    expect(text).toContain('could not page <@UGONE> (user_not_found)');
  });

  it('ignores malformed diagnosis evidence rather than failing', () => {
    const odd = entry('diag-finished', t('23:12'), { ...verdict, evidence: 'not a list' });
    expect(collectRecapFacts({ ...incident, closedAt: t('23:40') }, [odd], config).fiveWhys[0].answer).toBe(
      verdict.explanation,
    );
  });

  it('escapes Slack markup in titles and status text', () => {
    const timeline = [entry('status', t('23:20'), {}, 'U1', 'ping <!channel> & co')];
    const message = renderRecap(
      { ...incident, title: '<!here> 503s', closedAt: t('23:40') },
      timeline,
      config,
    );
    expect(message.text).toMatch(/^Recap of &lt;!here&gt; 503s:/);
    const text = blockText(message.blocks);
    expect(text).toContain('ping &lt;!channel&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});
