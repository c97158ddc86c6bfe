/**
 * How long the transforms of typed text take on adversarial input: runs of unclosed markup,
 * underscores, colons and entities that made the multi-pass regexes quadratic. In-process; no bot.
 */
import { escapeText, escapeUserText, unescapeSlackText } from '../../src/chat/blocks';
import { incidentChannelName } from '../../src/incident/channel-name';
import { clipText, quoteText } from '../../src/incident/render-status';
import { esc, mrkdwnToHtml, plainFromSlack } from '../../src/web/html';
import { row, type SectionResult } from '../lib';

/** Repeated to the length measured; each is a worst case for one of the old patterns. */
const UNITS = [
  '<@U1|',
  '<#C1|',
  '<!subteam^S1|',
  '<!date^1|',
  '<http://a|',
  '&lt;@U1|',
  '<@UAAAAAAAA',
  '_',
  ':a',
  'a:',
  '<',
  '`a',
];

const TRANSFORMS: Record<string, (text: string) => unknown> = {
  escapeText,
  escapeUserText,
  unescapeSlackText,
  plainFromSlack,
  mrkdwnToHtml,
  esc,
  clipText: (text) => clipText(text, 2500),
  quoteText: (text) => quoteText(text),
  incidentChannelName: (text) => incidentChannelName(`a${text}a`, new Date(0)),
};

export interface TypedTextFigure {
  length: number;
  /** The slowest transform and input at this length, best of three runs each. */
  worstMs: number;
  worst: string;
}

/** The slowest transform on 40k and 400k characters. */
export function typedText(): SectionResult {
  const figures = [40_000, 400_000].map(typedTextFigure);
  const rows = figures.map((figure) => {
    const targetMs = figure.length === 40_000 ? 10 : 100;
    return row(
      `typed text, ${figure.length / 1000}k adversarial characters: slowest transform`,
      `${figure.worstMs.toFixed(1)} ms (${figure.worst})`,
      `< ${targetMs} ms`,
      figure.worstMs < targetMs,
    );
  });
  return { rows, results: { typedText: figures } };
}

function typedTextFigure(length: number): TypedTextFigure {
  let worst = { ms: 0, what: '' };
  for (const unit of UNITS) {
    const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    for (const [name, transform] of Object.entries(TRANSFORMS)) {
      const ms = Math.min(...[0, 1, 2].map(() => timed(() => transform(text))));
      if (ms > worst.ms) worst = { ms, what: `${name} of "${unit}"…` };
    }
  }
  return { length, worstMs: worst.ms, worst: worst.what };
}

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
