import type { KnownBlock, SectionBlock } from '@slack/types';
import type { ChatMessage } from '../../../src/chat/message';
import type { TimelineEntry, TimelineKind } from '../../../src/incident/incident';
import {
  renderTimelineSlice,
  TIMELINE_EMOJI,
  TIMELINE_MAX_SLICE_SIZE,
  type TimelineSliceOptions,
  timelineLine,
  timelineSliceRange,
} from '../../../src/incident/render-timeline';
import { renderText } from '../../../src/shell/render-text';

const OPENED = Date.parse('2026-03-31T22:00:00.000Z');
function entry(i: number, overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: `${OPENED + i * 1000}-0`,
    at: new Date(OPENED + i * 1000).toISOString(),
    actor: 'UALICE',
    kind: 'note',
    text: `note ${i + 1}`,
    data: {},
    ...overrides,
  };
}
const entries = (count: number, overrides: Partial<TimelineEntry> = {}) =>
  Array.from({ length: count }, (_, i) => entry(i, overrides));
/** The page as the command renders it: the slice the store reads at the page's range, and the length. */
function renderTimeline(all: readonly TimelineEntry[], options: TimelineSliceOptions): ChatMessage {
  const { first, count } = timelineSliceRange(options);
  return renderTimelineSlice({ entries: all.slice(first, first + count), total: all.length }, options);
}
const sections = (message: ChatMessage) =>
  (message.blocks ?? []).filter((b: KnownBlock): b is SectionBlock => b.type === 'section');
const footer = (message: ChatMessage) => renderText({ text: '', blocks: message.blocks?.slice(-1) }).trim();

describe('timelineSliceRange', () => {
  it.each([
    [{ page: 1 }, { first: 0, count: 25 }],
    [{ page: 2 }, { first: 25, count: 25 }],
    [{ page: 200 }, { first: 4975, count: 25 }],
    [
      { page: 3, pageSize: 4 },
      { first: 8, count: 4 },
    ],
    [
      { page: 2, pageSize: 1000 },
      { first: 100, count: TIMELINE_MAX_SLICE_SIZE },
    ],
    [
      { page: 2, pageSize: 0 },
      { first: 1, count: 1 },
    ],
    [
      { page: 2, pageSize: Number.NaN },
      { first: 25, count: 25 },
    ],
    [{ page: 0 }, { first: 0, count: 25 }],
    [{ page: 1.5 }, { first: 0, count: 25 }],
    [{ page: Number.NaN }, { first: 0, count: 25 }],
  ])('reads page %p from %p', (options, range) => {
    expect(timelineSliceRange(options)).toEqual(range);
  });
});

describe('renderTimelineSlice', () => {
  it('says the timeline is empty when it is', () => {
    const message = renderTimeline([], { page: 1 });
    expect(message.text).toBe('The timeline is empty: nothing has been recorded yet.');
  });

  it('shows one page without "for more" when everything fits', () => {
    const message = renderTimeline(entries(25), { page: 1 });
    expect(message.text).toBe('Timeline, page 1 of 1: entries 1–25 of 25');
    expect(footer(message)).toBe('page 1 of 1');
    const shell = renderText(message);
    expect(shell).toContain('note 1');
    expect(shell).toContain('note 25');
  });

  it.each([
    [26, 1, 'page 1 of 2 — `/incident timeline 2` for more', 'entries 1–25 of 26'],
    [26, 2, 'page 2 of 2', 'entries 26–26 of 26'],
    [5000, 2, 'page 2 of 200 — `/incident timeline 3` for more', 'entries 26–50 of 5000'],
    [5000, 200, 'page 200 of 200', 'entries 4976–5000 of 5000'],
  ])('of %i entries, page %i reads "%s"', (count, page, expectedFooter, range) => {
    const message = renderTimeline(entries(count), { page });
    expect(footer(message)).toBe(expectedFooter);
    expect(message.text).toContain(range);
  });

  it('honours the page size, oldest entries first', () => {
    const message = renderTimeline(entries(10), { page: 2, pageSize: 4 });
    expect(message.text).toBe('Timeline, page 2 of 3: entries 5–8 of 10');
    const shell = renderText(message);
    expect(shell.indexOf('note 5')).toBeLessThan(shell.indexOf('note 8'));
    expect(shell).not.toContain('note 9');
  });

  it.each([
    [0, 'entries 1–1 of 10'],
    [Number.NaN, 'entries 1–10 of 10'],
  ])('treats a page size of %p as %s', (pageSize, range) => {
    expect(renderTimeline(entries(10), { page: 1, pageSize }).text).toContain(range);
  });

  it('shows the entries in the order it is given them: the store orders them by time', () => {
    const message = renderTimelineSlice({ entries: [entry(2), entry(0)], total: 3 }, { page: 1 });
    const shell = renderText(message);
    expect(shell.indexOf('note 3')).toBeLessThan(shell.indexOf('note 1'));
    expect(message.text).toBe('Timeline, page 1 of 1: entries 1–2 of 3');
  });

  it('answers a page past the end from the length alone', () => {
    const message = renderTimelineSlice({ entries: [], total: 30_004 }, { page: 5000 });
    expect(message.text).toBe(
      'There is no page 5000: the timeline has 1201 pages (30004 entries). Try `/incident timeline 1201` for the latest.',
    );
  });

  it.each([
    [201, 'There is no page 201'],
    [0, 'There is no page 0'],
    [-1, 'There is no page -1'],
    [1.5, 'There is no page 1.5'],
    [Number.NaN, 'There is no page that'],
  ])('answers page %p with what exists instead', (page, start) => {
    const message = renderTimeline(entries(5000), { page });
    expect(message.text).toBe(
      `${start}: the timeline has 200 pages (5000 entries). Try \`/incident timeline 200\` for the latest.`,
    );
  });

  it('says "1 page" and "1 entry" in the singular', () => {
    expect(renderTimeline(entries(1), { page: 2 }).text).toContain('the timeline has 1 page (1 entry)');
  });

  it('splits lines across sections of at most 3,000 characters, in order', () => {
    const message = renderTimeline(entries(25, { text: 'y'.repeat(400) }), { page: 1 });
    const texts = sections(message).map((s) => s.text?.text ?? '');
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(
      texts
        .join('\n')
        .split('\n')
        .filter((line) => line.includes('y'.repeat(400))),
    ).toHaveLength(25);
    expect(texts.join('').includes('…')).toBe(false);
  });

  it('stays within 50 blocks and 3,000 characters however large the page and its entries', () => {
    const huge = entries(1000, { text: '&'.repeat(5000) });
    const message = renderTimeline(huge, { page: 1, pageSize: 1000 });
    expect(message.blocks?.length).toBeLessThanOrEqual(50);
    for (const s of sections(message)) expect(s.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(message.text).toContain(`entries 1–${TIMELINE_MAX_SLICE_SIZE} of 1000`);
  });
});

describe('timelineLine', () => {
  it('shows time, emoji, actor and text', () => {
    const line = timelineLine(entry(0, { kind: 'status', text: 'connector scaling' }));
    expect(line).toBe(
      '<!date^1774994400^{date_short_pretty} {time_secs}|2026-03-31 22:00:00 UTC> :loudspeaker: <@UALICE>: connector scaling',
    );
  });

  it('names the bot Warroom', () => {
    expect(timelineLine(entry(0, { actor: 'warroom', kind: 'page' }))).toContain(':pager: Warroom: ');
  });

  it('escapes markup in the text but keeps user mentions the bot wrote', () => {
    const line = timelineLine(entry(0, { text: 'Could not page <@U123>: <!channel> & <!subteam^S1>' }));
    expect(line).toContain('Could not page <@U123>: &lt;!channel&gt; &amp; &lt;!subteam^S1&gt;');
  });

  it('escapes an actor that is not a Slack id', () => {
    expect(timelineLine(entry(0, { actor: '<!here>' }))).toContain(' &lt;!here&gt;: ');
  });

  it('survives an unreadable time', () => {
    expect(timelineLine(entry(0, { at: 'yesterday' }))).toMatch(/^\(no time\) /);
  });

  it('has an emoji for every kind', () => {
    const kinds = Object.keys(TIMELINE_EMOJI) as TimelineKind[];
    expect(kinds).toHaveLength(30);
    for (const kind of kinds) expect(TIMELINE_EMOJI[kind]).toMatch(/^:[a-z_]+:$/);
    expect(new Set(Object.values(TIMELINE_EMOJI)).size).toBe(kinds.length);
  });
});
