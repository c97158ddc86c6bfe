import { DEFAULT_PHASES } from '../../../src/config/schema';
import type { TimelineEntry } from '../../../src/incident/incident';
import {
  POSTMORTEM_SECTIONS,
  postmortemName,
  renderPostmortem,
} from '../../../src/postmortem/render-postmortem';
import { entry, incidentFixture } from '../incident/fixtures';

const MIN = 60_000;
const config = {
  phases: DEFAULT_PHASES.map((p) => ({ ...p })),
  escalation: { ackTimeoutMs: 3 * MIN, executiveAfterMs: 240 * MIN },
};
const at = (minutes: number) =>
  new Date(Date.parse('2026-03-31T22:00:00.000Z') + minutes * MIN).toISOString();
const said = (e: TimelineEntry, text: string): TimelineEntry => ({ ...e, text });

const HOSTILE = `<script>alert("x")</script> & 'quotes' <img src=x onerror=alert(1)>`;
const incident = incidentFixture({
  title: `Staging <b>down</b> & out`,
  status: 'closed',
  closedAt: at(200),
  resolution: HOSTILE,
  commander: 'U0ALICE',
});
const timeline: TimelineEntry[] = [
  said(entry('opened', at(0), {}, 'U0ALICE'), incident.title),
  said(
    entry('page', at(1), { tier: 'primary', contact: 'infra', users: ['U0BOB'], reason: 'open' }),
    'Paged',
  ),
  said(entry('ack', at(5), { tier: 'primary', user: 'U0BOB', paged: true }, 'U0BOB'), 'Acknowledged'),
  said(
    entry('diag-finished', at(20), {
      runId: 'd1',
      environment: 'staging',
      verdict: 'vpc-connector-saturated',
      title: 'The connector is at max instances',
      explanation: 'Every instance is busy',
      evidence: ['vpc-connector: 10/10 instances', HOSTILE],
    }),
    'verdict',
  ),
  said(
    entry('phase', at(70), { from: 'diagnostic', to: 'restoration' }, 'U0ALICE'),
    'Phase: diagnostic → restoration',
  ),
  said(
    entry(
      'remediation-requested',
      at(80),
      { requestId: 'r1', action: 'restart', service: 'backend', environment: 'staging' },
      'U0BOB',
    ),
    'restart asked',
  ),
  said(
    entry(
      'remediation-approved',
      at(82),
      { requestId: 'r1', action: 'restart', service: 'backend', environment: 'staging' },
      'U0CAROL',
    ),
    'approved',
  ),
  said(
    entry('remediation-done', at(90), {
      requestId: 'r1',
      action: 'restart',
      service: 'backend',
      environment: 'staging',
      outcome: 'succeeded',
    }),
    'done',
  ),
  said(entry('status', at(100), {}, 'U0BOB'), `Recovering, ask <@U0ALICE> ${HOSTILE}`),
  said(
    entry(
      'follow-up',
      at(150),
      { number: 1, text: `alert on connector ${HOSTILE}`, owner: 'U0BOB', dueAt: at(10_000) },
      'U0ALICE',
    ),
    'Follow-up #1',
  ),
  said(entry('closed', at(200), { resolution: HOSTILE }, 'U0ALICE'), HOSTILE),
];
const names: Record<string, string> = { U0ALICE: 'Alice Ng', U0BOB: 'Bob', U0CAROL: 'Carol' };
const html = renderPostmortem(incident, timeline, config, { nameOf: (id) => names[id] ?? id });

describe('renderPostmortem', () => {
  it('has the sections in the order of a postmortem template, after the title and the facts', () => {
    const positions = POSTMORTEM_SECTIONS.map((title) => html.indexOf(`<h2>${title}</h2>`));
    expect(positions.every((p) => p > html.indexOf('<h1>'))).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(POSTMORTEM_SECTIONS.slice(-3)).toEqual(['Root cause', 'What went well', 'What went badly']);
    for (const fact of ['Severity', 'Environment', 'Commander', 'Started', 'Ended', 'Duration'])
      expect(html.indexOf(`<th>${fact}</th>`)).toBeLessThan(positions[0] as number);
  });

  it('escapes every text people typed: no markup of theirs survives', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>down</b>');
    expect(html).toContain('Staging &lt;b&gt;down&lt;/b&gt; &amp; out');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
  });

  it('shows people by name, times in UTC, and the numbers the record has', () => {
    expect(html).toContain('<th>Commander</th><td>@Alice Ng</td>');
    expect(html).toContain('Recovering, ask @Alice Ng');
    expect(html).not.toMatch(/@U0[A-Z]+/);
    expect(html).toContain('<th>Started</th><td>2026-03-31 22:00:00 UTC</td>');
    expect(html).toContain('<th>Duration</th><td>3h 20m</td>');
    // Remediation with who asked and who approved; time to ack per tier; the follow-up's owner.
    expect(html).toMatch(/restart of backend \(staging\)<\/td><td>@Bob<\/td><td>@Carol<\/td><td>succeeded/);
    expect(html).toMatch(/<td>primary<\/td><td>2026-03-31 22:01:00<\/td><td>@Bob<\/td><td>4m \(late\)<\/td>/);
    expect(html).toMatch(/<td>1<\/td><td>alert on connector .*<\/td><td>@Bob<\/td>/);
    expect(html).toContain('verdict vpc-connector-saturated');
    expect(html).toContain('<li>vpc-connector: 10/10 instances</li>');
    expect(html).toMatch(/<td>diagnostic<\/td><td>1h<\/td><td>1h 10m<\/td><td>\+10m<\/td>/);
  });

  it('falls back to the id when a name is unknown', () => {
    expect(renderPostmortem(incident, timeline, config)).toContain('<th>Commander</th><td>@U0ALICE</td>');
  });

  it('names the document the same way every time, within Drive’s length', () => {
    expect(postmortemName(incident)).toBe('Postmortem inc-1: Staging <b>down</b> & out');
    expect(postmortemName({ id: 'inc-1', title: 'x'.repeat(500) })).toHaveLength(200);
  });
});
