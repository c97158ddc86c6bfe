import { collectRecapFacts } from '../../../src/incident/collect-recap-facts';
import type { Incident, TimelineEntry } from '../../../src/incident/incident';
import { esc, mrkdwnToHtml, plainFromSlack } from '../../../src/web/html';
import { checkToken, IncidentLinks, signToken } from '../../../src/web/incident-links';
import { phaseChartSvg } from '../../../src/web/phase-chart';
import { renderIncidentPage } from '../../../src/web/render-incident-page';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2026-11-28T12:00:00Z');

describe('page tokens', () => {
  const scope = { incidentId: 'inc-1' };
  it('verify for their incident until they expire, and never for another', () => {
    const token = signToken(SECRET, scope, new Date(NOW.getTime() + 60_000));
    expect(checkToken(SECRET, scope, token, NOW)).toEqual({ ok: true });
    expect(checkToken(SECRET, { incidentId: 'inc-2' }, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkToken(SECRET, 'incident-list', token, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkToken(SECRET, scope, token, new Date(NOW.getTime() + 61_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(checkToken(`${SECRET}x`, scope, token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse what is missing, malformed or tampered with', () => {
    const token = signToken(SECRET, scope, new Date(NOW.getTime() + 60_000));
    expect(checkToken(SECRET, scope, undefined, NOW).ok).toBe(false);
    expect(checkToken(SECRET, scope, 'abc', NOW)).toEqual({ ok: false, reason: 'malformed' });
    const [exp, mac] = token.split('.');
    expect(checkToken(SECRET, scope, `${Number(exp) + 3600}.${mac}`, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('a link token is not a cookie and a cookie is not a link token', () => {
    const links = new IncidentLinks('https://warroom.example.com/', SECRET, () => NOW);
    const link = links.incident('inc-1');
    expect(link).toMatch(/^https:\/\/warroom\.example\.com\/incidents\/inc-1\?token=\d+\.[\w-]{43}$/);
    const token = new URL(link).searchParams.get('token') ?? '';
    const cookie = links.cookieFor(scope, token);
    expect(cookie).not.toBe(token);
    expect(links.check(scope, cookie, 'cookie')).toEqual({ ok: true });
    expect(links.check(scope, token, 'cookie').ok).toBe(false);
    expect(links.check(scope, cookie).ok).toBe(false);
    expect(links.secure).toBe(true);
    // Within the same hour the link does not change, so a re-rendered header needs no edit.
    const at = (ms: number) =>
      new IncidentLinks('https://warroom.example.com', SECRET, () => new Date(NOW.getTime() + ms));
    expect(at(60_000).incident('inc-1')).toBe(at(30 * 60_000).incident('inc-1'));
  });
});

describe('HTML of Slack text', () => {
  it('shows mentions, dates and links as text and escapes the rest', () => {
    expect(
      plainFromSlack(
        '<@U123|alice> in <#C9|ops> at <!date^1^{time}|12:00 UTC> see <https://x.io|docs> <!here>',
      ),
    ).toBe('@alice in #ops at 12:00 UTC see docs @here');
    expect(mrkdwnToHtml('run `gcloud x --a=<b>` &amp; wait')).toBe(
      'run <code>gcloud x --a=&lt;b&gt;</code> &amp; wait',
    );
    expect(esc('<script>"\'&')).toBe('&lt;script&gt;&quot;&#39;&amp;');
  });
});

describe('the phase chart', () => {
  it('draws one bar per phase, the budget as an outline and an overrun in its own mark', () => {
    const svg = phaseChartSvg([
      {
        name: 'diagnostic',
        budgetMs: 3_600_000,
        actualMs: 1_800_000,
        visits: 1,
        status: 'done',
        deltaMs: -1_800_000,
      },
      {
        name: 'restoration',
        budgetMs: 7_200_000,
        actualMs: 9_000_000,
        visits: 1,
        status: 'done',
        deltaMs: 1_800_000,
      },
      { name: 'validation', budgetMs: 3_600_000, actualMs: 0, visits: 0, status: 'pending' },
    ]);
    expect(svg.match(/<g class="phase/g)).toHaveLength(3);
    expect(svg).toContain('data-phase="restoration"');
    expect(svg.match(/class="overrun"/g)).toHaveLength(1);
    expect(svg).toContain('2h 30m of 2h · 30m over');
    expect(svg).toContain('0s of 1h · pending');
  });
});

describe('the incident page', () => {
  const incident: Incident = {
    id: 'inc-1',
    title: '<script>alert(1)</script> staging 503',
    severity: 'P1',
    environment: 'staging',
    channelId: 'C1',
    channelName: 'inc-x',
    status: 'open',
    commander: 'U1',
    openedBy: 'U1',
    openedAt: '2026-11-28T11:00:00.000Z',
    phase: 'diagnostic',
  };
  const entry = (i: number): TimelineEntry => ({
    id: `${1000 + i}-0`,
    at: new Date(Date.parse(incident.openedAt) + i * 1000).toISOString(),
    actor: 'U1',
    kind: i % 2 ? 'note' : 'status',
    text: `entry ${i} <b>`,
    data: {},
  });
  const config = {
    phases: [
      { name: 'diagnostic', budgetMs: 3_600_000 },
      { name: 'restoration', budgetMs: 7_200_000 },
    ],
    escalation: { ackTimeoutMs: 900_000, executiveAfterMs: 14_400_000 },
  };
  const model = (timeline: TimelineEntry[]) => ({
    incident,
    timeline,
    facts: collectRecapFacts(incident, timeline, config, NOW),
    lastId: timeline.at(-1)?.id ?? '0-0',
    now: NOW,
  });

  it('escapes what people typed and pages the timeline, newest page first', () => {
    const html = renderIncidentPage(model(Array.from({ length: 450 }, (_, i) => entry(i))), { kinds: [] });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('page 3 of 3');
    expect(html.match(/<tr data-kind=/g)).toHaveLength(50);
    expect(html).toContain('data-events="/incidents/inc-1/events?after=1449-0"');
  });

  it('shows people by their names, the follow-ups and the postmortem link', () => {
    const timeline: TimelineEntry[] = [
      { ...entry(1), text: 'ask <@U2> about it' },
      {
        ...entry(2),
        kind: 'follow-up',
        text: 'Follow-up #1',
        data: { number: 1, text: 'alert on <b>capacity</b>', owner: 'U2' },
      },
    ];
    const names: Record<string, string> = { U1: 'Alice Ng', U2: 'bob' };
    const html = renderIncidentPage(
      {
        ...model(timeline),
        nameOf: (id: string) => names[id] ?? id,
        postmortemUrl: 'https://docs.google.com/document/d/abc/edit',
      },
      { kinds: [] },
    );
    expect(html).toContain('<dt>Commander</dt><dd>@Alice Ng</dd>');
    expect(html).toContain('ask @bob about it');
    expect(html).toContain('<td>#1</td><td>alert on &lt;b&gt;capacity&lt;/b&gt;</td><td>@bob</td>');
    expect(html).not.toMatch(/@U[12]\b/);
    expect(html).toContain(
      '<a href="https://docs.google.com/document/d/abc/edit" rel="noopener noreferrer">Postmortem draft</a>',
    );
  });

  it('filters by kind on the server, and keeps the filter in its page links', () => {
    const html = renderIncidentPage(model(Array.from({ length: 450 }, (_, i) => entry(i))), {
      kinds: ['note'],
      page: 1,
    });
    expect(html.match(/<tr data-kind="note"/g)).toHaveLength(200);
    expect(html).not.toContain('<tr data-kind="status"');
    expect(html).toContain('href="?page=2&amp;kind=note"');
  });

  it('renders 5,000 entries quickly, one page of them', () => {
    const timeline = Array.from({ length: 5000 }, (_, i) => entry(i));
    const html = renderIncidentPage(model(timeline), { kinds: [] });
    expect(html.match(/<tr data-kind=/g)).toHaveLength(200);
    expect(html.length).toBeLessThan(100_000);
  });
});
