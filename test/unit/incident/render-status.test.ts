import { escapeText } from '../../../src/chat/blocks';
import type { Incident } from '../../../src/incident/incident';
import {
  clipText,
  plain,
  quoteText,
  renderClosed,
  renderCommanderChange,
  renderPhaseChange,
  renderPhaseOverrun,
  renderStatusUpdate,
} from '../../../src/incident/render-status';
import { renderText } from '../../../src/shell/render-text';
import { incidentFixture } from './fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const incident = incidentFixture({ openedAt: '2026-03-31T22:00:00.000Z', phase: 'restoration' });

describe('clipText', () => {
  it.each([
    ['short text, escaped', 'a & b', 10, 'a &amp; b'],
    ['cut with an ellipsis', 'abcdefghij', 5, 'abcd…'],
    ['never inside an entity', '&&&&', 8, '&amp;…'],
    ['never inside an emoji', '🔥🔥🔥', 4, '🔥…'],
  ])('%s', (_name, raw, max, expected) => {
    const clipped = clipText(raw, max);
    expect(clipped).toBe(expected);
    expect(clipped.length).toBeLessThanOrEqual(max);
  });

  it('leaves plain text unescaped', () => {
    expect(clipText('a & <b>', 100, plain)).toBe('a & <b>');
  });

  it('encodes about `max` characters of a long text, never the whole of it', () => {
    const encoded: number[] = [];
    const counting = (text: string) => {
      encoded.push(text.length);
      return escapeText(text);
    };
    const clipped = clipText('<'.repeat(400_000), 100, counting);
    expect(clipped).toBe(`${'&lt;'.repeat(24)}…`);
    // One call per character kept or tried, one for the result: in proportion to max, not the text.
    expect(encoded.length).toBeLessThanOrEqual(100 + 2);
    expect(Math.max(...encoded)).toBeLessThanOrEqual(100);
  });
});

describe('quoteText', () => {
  it('quotes every line and escapes broadcasts, keeping user mentions', () => {
    expect(quoteText('<!channel> connector down\nask <@U123|alice>')).toBe(
      '>&lt;!channel&gt; connector down\n>ask <@U123|alice>',
    );
  });
});

describe('renderStatusUpdate', () => {
  it('posts the update quoted, with who, when and the incident', () => {
    const message = renderStatusUpdate(
      incident,
      'Connector redeployed; DB connects in 4s',
      'UALICE',
      '2026-03-31T23:30:00.000Z',
    );
    expect(message.text).toBe(
      'Status update on Staging answers 503 from <@UALICE>: Connector redeployed; DB connects in 4s',
    );
    const shell = renderText(message);
    expect(shell).toContain('*Status update* — @UALICE, 2026-03-31 23:30:00 UTC');
    expect(shell).toContain('>Connector redeployed; DB connects in 4s');
    expect(shell).toContain('P1 · staging · Staging answers 503 · phase restoration');
  });

  it('escapes markup in the status text and the title, and keeps emoji as typed', () => {
    const message = renderStatusUpdate(
      { ...incident, title: '*503* <!here>' },
      '<!channel> :fire: 🔥 & <https://evil.example|click>',
      'UALICE',
      '2026-03-31T23:30:00.000Z',
    );
    const raw = JSON.stringify(message);
    expect(raw).not.toMatch(/<!channel>|<!here>|<https:/);
    expect(message.text).toContain('&lt;!channel&gt; :fire: 🔥 &amp; &lt;https://evil.example|click&gt;');
    expect(message.text).toContain('*503* &lt;!here&gt;');
  });

  it('keeps a very long update inside one section', () => {
    const message = renderStatusUpdate(incident, 'x'.repeat(10_000), 'UALICE', '2026-03-31T23:30:00.000Z');
    const first = message.blocks?.[0];
    expect(first?.type === 'section' && (first.text?.text.length ?? 0) <= 3000).toBe(true);
    expect(first?.type === 'section' && first.text?.text.endsWith('…')).toBe(true);
  });
});

describe('renderPhaseChange', () => {
  it.each([
    ['diagnostic', 'restoration', 2 * HOUR, 'Phase: diagnostic → restoration (budget 2h)'],
    [undefined, 'restoration', 2 * HOUR, 'Phase: restoration (budget 2h)'],
    ['validation', 'comms', undefined, 'Phase: validation → comms (no budget)'],
  ])('%p → %s', (from, to, budget, text) => {
    const message = renderPhaseChange(from, to, budget);
    expect(message.text).toBe(text);
    expect(renderText(message)).toContain('🔄 Phase');
  });
});

describe('renderPhaseOverrun', () => {
  it('says how long the phase ran, by how much it is over, and what to do', () => {
    const message = renderPhaseOverrun('diagnostic', HOUR, HOUR + 5 * MIN);
    expect(message.text).toBe('The diagnostic phase has run 1h 5m, 5m over its 1h budget');
    const shell = renderText(message);
    expect(shell).toContain('⚠️ The *diagnostic* phase has run 1h 5m, 5m over its 1h budget.');
    expect(shell).toContain('Move on to the next phase if it is done');
  });
});

describe('renderCommanderChange', () => {
  it('names the new commander', () => {
    const message = renderCommanderChange('UBOB');
    expect(message.text).toBe('<@UBOB> is now the incident commander');
    expect(renderText(message)).toContain('@UBOB is now the incident commander.');
  });
});

describe('renderClosed', () => {
  it('says how long it took and the resolution, escaped', () => {
    const closed: Incident = {
      ...incident,
      status: 'closed',
      closedAt: '2026-04-01T01:10:00.000Z',
      resolution: 'Connector scaled to 3–10 instances <!channel>',
    };
    const message = renderClosed(closed);
    expect(message.text).toBe(
      'Incident closed after 3h 10m: Connector scaled to 3–10 instances &lt;!channel&gt;',
    );
    const shell = renderText(message);
    expect(shell).toContain('✅ *Incident closed* after 3h 10m at 2026-04-01 01:10:00 UTC.');
    expect(shell).toContain('*Resolution:* Connector scaled to 3–10 instances <!channel>');
    expect(shell).toContain('The recap follows.');
  });

  it('closes without a resolution or close time', () => {
    expect(renderClosed(incident).text).toBe('Incident closed');
  });
});
