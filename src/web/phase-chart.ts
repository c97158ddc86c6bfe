import { formatDuration } from '../config/duration';
import type { PhaseTotal } from '../incident/phases';
import { esc } from './html';

const WIDTH = 640;
const LABEL = 120;
const ROW = 34;
const BAR = 14;

/**
 * One horizontal bar per phase, actual against expected, as inline SVG: the outline is the
 * budget, the fill the time spent (red beyond the budget, the overrun marked), and a label with
 * both figures. Pure; no script or stylesheet needed.
 */
export function phaseChartSvg(phases: readonly PhaseTotal[]): string {
  const scaleMs = Math.max(1, ...phases.map((p) => Math.max(p.actualMs, p.budgetMs ?? 0)));
  const span = WIDTH - LABEL - 170;
  const x = (ms: number) => LABEL + Math.round((ms / scaleMs) * span);
  const rows = phases.map((p, i) => {
    const y = 8 + i * ROW;
    const budget = p.budgetMs;
    const over = budget !== undefined && p.actualMs > budget;
    const filled = Math.min(p.actualMs, budget ?? p.actualMs);
    const figures =
      budget === undefined
        ? `${formatDuration(p.actualMs)} (no budget)`
        : `${formatDuration(p.actualMs)} of ${formatDuration(budget)}${over ? ` · ${formatDuration(p.actualMs - budget)} over` : ''}`;
    const status = p.status === 'done' ? '' : ` · ${p.status}`;
    return [
      `<g class="phase ${esc(p.status)}${over ? ' over' : ''}" data-phase="${esc(p.name)}">`,
      `<text x="0" y="${y + BAR - 2}" class="name">${esc(p.name)}</text>`,
      budget !== undefined
        ? `<rect x="${LABEL}" y="${y}" width="${x(budget) - LABEL}" height="${BAR}" class="budget"><title>expected ${esc(formatDuration(budget))}</title></rect>`
        : '',
      `<rect x="${LABEL}" y="${y}" width="${Math.max(p.actualMs > 0 ? 2 : 0, x(filled) - LABEL)}" height="${BAR}" class="actual"><title>spent ${esc(formatDuration(p.actualMs))}</title></rect>`,
      over && budget !== undefined
        ? `<rect x="${x(budget)}" y="${y}" width="${Math.max(2, x(p.actualMs) - x(budget))}" height="${BAR}" class="overrun"><title>over by ${esc(formatDuration(p.actualMs - budget))}</title></rect>`
        : '',
      `<text x="${x(Math.max(p.actualMs, budget ?? 0)) + 6}" y="${y + BAR - 2}" class="figures">${esc(figures + status)}</text>`,
      '</g>',
    ].join('');
  });
  const height = 8 + phases.length * ROW;
  return `<svg class="phase-chart" role="img" aria-label="Phases: time spent against expected" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">${rows.join('')}</svg>`;
}
