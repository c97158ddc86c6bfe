import { formatDuration } from '../config/duration';
import type { Incident } from '../incident/incident';
import { esc, utc } from './html';
import { PAGE_STYLE } from './page-style';

function rows(incidents: readonly Incident[], now: Date): string {
  if (incidents.length === 0) return '<tr><td colspan="6" class="muted">None.</td></tr>';
  return incidents
    .map((i) => {
      const end = i.closedAt ? Date.parse(i.closedAt) : now.getTime();
      return `<tr><td><span class="badge sev">${esc(i.severity)}</span></td><td><a href="/incidents/${encodeURIComponent(i.id)}">${esc(i.title)}</a></td><td>${esc(i.environment)}</td><td>${esc(i.phase)}</td><td>${esc(utc(i.openedAt))}</td><td>${esc(formatDuration(Math.max(0, end - Date.parse(i.openedAt))))}</td></tr>`;
    })
    .join('');
}

/** `/incidents`: open incidents, then recently closed ones. Pure. */
export function renderIncidentList(
  open: readonly Incident[],
  closed: readonly Incident[],
  now: Date,
): string {
  const head =
    '<thead><tr><th>Sev</th><th>Title</th><th>Env</th><th>Phase</th><th>Opened (UTC)</th><th>Duration</th></tr></thead>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><meta name="robots" content="noindex"><title>Incidents — Warroom</title>
<style>${PAGE_STYLE}</style></head><body>
<h1>Incidents</h1>
<h2>Open <small>${open.length}</small></h2><table>${head}<tbody>${rows(open, now)}</tbody></table>
<h2>Recently closed <small>${closed.length}</small></h2><table>${head}<tbody>${rows(closed, now)}</tbody></table>
<footer>rendered ${esc(utc(now.toISOString()))} UTC</footer>
</body></html>`;
}
