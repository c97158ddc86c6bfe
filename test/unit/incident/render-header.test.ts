import type { Config } from '../../../src/config/schema';
import type { Incident } from '../../../src/incident/incident';
import { incidentTopic, renderHeader, TOPIC_MAX } from '../../../src/incident/render-header';
import { renderText } from '../../../src/shell/render-text';
import { incidentFixture } from './fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const OPENED = '2026-03-31T22:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * MIN).toISOString();
const now = (minutes: number) => new Date(at(minutes));
const config: Pick<Config, 'phases'> = {
  phases: [
    { name: 'diagnostic', budgetMs: HOUR },
    { name: 'restoration', budgetMs: 2 * HOUR },
    { name: 'validation', budgetMs: HOUR },
  ],
};

const incident = (overrides: Partial<Incident> = {}) => incidentFixture({ openedAt: OPENED, ...overrides });

describe('renderHeader', () => {
  it('shows severity, environment, status, commander, start, duration and phase against its budget', () => {
    const message = renderHeader(incident(), config, now(25), undefined, 25 * MIN);
    const shell = renderText(message);
    expect(shell).toContain('== P1 · Staging answers 503 ==');
    expect(shell).toContain('*Environment*\nstaging');
    expect(shell).toContain('🔴 open');
    expect(shell).toContain('*Commander*\n@UCMDR1');
    expect(shell).toContain('*Started*\n2026-03-31 22:00:00 UTC');
    expect(shell).toContain('*Open for*\n25m');
    expect(shell).toContain('*diagnostic* — 25m of 1h');
    expect(message.text).toBe(
      'P1 incident on staging: Staging answers 503 — open, phase diagnostic, commander <@UCMDR1>',
    );
  });

  it.each([
    ['in budget', 'diagnostic', 25, '*diagnostic* — 25m of 1h'],
    ['over budget', 'diagnostic', 70, '*diagnostic* — 1h 10m of 1h ⚠️ 10m over'],
    ['after a change', 'restoration', 60, '*restoration* — 1h of 2h'],
  ])('phase %s', (_name, phase, spentMinutes, expected) => {
    const message = renderHeader(incident({ phase }), config, now(100), undefined, spentMinutes * MIN);
    expect(renderText(message)).toContain(`*Phase*\n${expected}`);
  });

  it('shows the budget only when the time spent is not known, and "no budget" for a phase not configured', () => {
    expect(renderText(renderHeader(incident(), config, now(25)))).toContain('*diagnostic* (budget 1h)');
    const adhoc = incident({ phase: 'comms' });
    expect(renderText(renderHeader(adhoc, config, now(25), undefined, 20 * MIN))).toContain(
      '*comms* — 20m (no budget)',
    );
  });

  it('shows a closed incident with its resolution and how long it lasted', () => {
    const closed = incident({
      status: 'closed',
      closedAt: at(190),
      resolution: 'Connector redeployed <!channel>',
      phase: 'validation',
    });
    const message = renderHeader(closed, config, now(500), undefined, 10 * MIN);
    const shell = renderText(message);
    expect(shell).toContain('✅ closed 2026-04-01 01:10:00 UTC');
    expect(shell).toContain('*Lasted*\n3h 10m');
    expect(shell).toContain('*Phase*\n*validation*');
    expect(JSON.stringify(message.blocks)).toContain('*Resolution:* Connector redeployed &lt;!channel&gt;');
    expect(message.text).toContain('closed: resolved');
  });

  it('quotes the latest status update, escaped, with who and when', () => {
    const status = { text: 'DB <!here> & connector\nscaling up', at: at(20), actor: 'UALICE' };
    const message = renderHeader(incident(), config, now(25), status);
    const section = JSON.stringify(message.blocks);
    expect(section).toContain('*Latest status* — <@UALICE>, <!date^');
    expect(section).toContain('>DB &lt;!here&gt; &amp; connector\\n>scaling up');
  });

  it('escapes markup in the title where Slack parses it, and keeps emoji', () => {
    const message = renderHeader(incident({ title: '<!channel> *503* & 🔥 :fire:' }), config, now(1));
    expect(message.text).toContain('&lt;!channel&gt; *503* &amp; 🔥 :fire:');
    expect(message.text).not.toContain('<!channel>');
    // Header blocks are plain_text: Slack shows them as typed, so they are not escaped.
    expect(renderText(message)).toContain('== P1 · <!channel> *503* & 🔥 :fire: ==');
  });

  it('keeps the header block within Slack’s 150 characters without splitting an emoji', () => {
    const message = renderHeader(incident({ title: '🔥'.repeat(200) }), config, now(1));
    const head = message.blocks?.[0];
    if (head?.type !== 'header') throw new Error('expected a header block first');
    expect(head.text.text.length).toBeLessThanOrEqual(150);
    expect(head.text.text).toMatch(/🔥…$/);
  });
});

describe('incidentTopic', () => {
  it('reads "severity · environment · title · IC · phase"', () => {
    expect(incidentTopic(incident())).toBe(
      'P1 · staging · Staging answers 503 · IC <@UCMDR1> · phase diagnostic',
    );
  });

  it('says closed in place of the phase once closed', () => {
    expect(incidentTopic(incident({ status: 'closed' }))).toBe(
      'P1 · staging · Staging answers 503 · IC <@UCMDR1> · closed',
    );
  });

  it.each([
    ['a 500-character title', 'x'.repeat(500)],
    ['a title of ampersands', '&'.repeat(500)],
    ['a title of emoji', '🔥'.repeat(500)],
  ])('stays within 250 characters with %s, cutting the title only', (_name, title) => {
    const topic = incidentTopic(incident({ title }));
    expect(topic.length).toBeLessThanOrEqual(TOPIC_MAX);
    expect(topic).toMatch(/^P1 · staging · .+… · IC <@UCMDR1> · phase diagnostic$/);
    expect(topic).not.toMatch(/&(?!amp;)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('escapes markup in the title', () => {
    expect(incidentTopic(incident({ title: '<!channel> down' }))).toContain('&lt;!channel&gt; down');
  });
});
