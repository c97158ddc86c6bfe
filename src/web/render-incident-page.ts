import { formatDuration } from '../config/duration';
import type { DiagRun } from '../diag/diag-run';
import { checkState } from '../diag/diag-run';
import { ackerName, ackSource } from '../incident/acker';
import { BOT_ACTOR, type Incident, type TimelineEntry, type TimelineKind } from '../incident/incident';
import type { RecapFacts } from '../incident/recap-facts';
import { TIMELINE_EMOJI } from '../incident/render-timeline';
import { esc, mrkdwnToHtml, plainFromSlack, utc } from './html';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';
import { phaseChartSvg } from './phase-chart';

/** Timeline rows per page: 5,000 entries are 25 pages, each quick to render and to scroll. */
export const TIMELINE_SLICE_SIZE = 200;

/** Everything a page shows, read once from Redis (see load-incident-page.ts). */
export interface IncidentPageModel {
  incident: Incident;
  /** By time, then arrival. */
  timeline: TimelineEntry[];
  facts: RecapFacts;
  /** The latest diagnosis run of the incident, when there was one. */
  diag?: DiagRun;
  /** The postmortem draft in Google Docs, once created. */
  postmortemUrl?: string;
  /** A person's display name (Slack ids resolved, cached); absent: the id. */
  nameOf?: (id: string) => string;
  /** The newest stream id: live updates continue after it. */
  lastId: string;
  now: Date;
}

export interface PageView {
  /** 1-based; absent: the last page (the newest entries). */
  page?: number;
  /** Only these kinds; empty: all. */
  kinds: TimelineKind[];
}

type NameOf = (id: string) => string;
const byId: NameOf = (id) => id;
/**
 * A person as the page names them: `@name` for a Slack user (`@id` when the name is unknown), the
 * name PagerDuty gave for one who acknowledged there, Warroom itself by name.
 */
const person = (id: string, nameOf: NameOf = byId) =>
  id === BOT_ACTOR ? 'Warroom' : ackSource(id) === 'PagerDuty' ? ackerName(id) : `@${nameOf(id)}`;
/** "@Jane in Slack" or "Jane Doe in PagerDuty". */
const ackedByText = (user: string, nameOf: NameOf) => `${person(user, nameOf)} in ${ackSource(user)}`;

export function timelineRow(entry: TimelineEntry, nameOf: NameOf = byId): string {
  return `<tr data-kind="${esc(entry.kind)}" data-id="${esc(entry.id)}"><td><time datetime="${esc(entry.at)}">${esc(utc(entry.at))}</time></td><td><span class="kind k-${esc(entry.kind)}">${esc(entry.kind)}</span></td><td>${esc(person(entry.actor, nameOf))}</td><td>${mrkdwnToHtml(entry.text, nameOf)}</td></tr>`;
}

function summarySection(model: IncidentPageModel): string {
  const { incident, facts } = model;
  const open = incident.status === 'open';
  const status = open ? '<span class="badge open">open</span>' : `<span class="badge closed">closed</span>`;
  const lasted = `${open ? 'open for' : 'lasted'} ${formatDuration(facts.totalMs)} of ${formatDuration(facts.expectedMs)} expected`;
  return `<h1><span class="badge sev">${esc(incident.severity)}</span> ${esc(incident.title)}</h1>
<dl class="facts">
<div><dt>Status</dt><dd>${status}</dd></div>
<div><dt>Environment</dt><dd>${esc(incident.environment)}</dd></div>
<div><dt>Commander</dt><dd>${esc(person(incident.commander, model.nameOf))}</dd></div>
<div><dt>Phase</dt><dd>${esc(incident.phase)}</dd></div>
<div><dt>Opened</dt><dd><time datetime="${esc(incident.openedAt)}">${esc(utc(incident.openedAt))}</time> UTC</dd></div>
<div><dt>Duration</dt><dd>${esc(lasted)}</dd></div>
</dl>${model.postmortemUrl ? `<p class="postmortem"><a href="${esc(model.postmortemUrl)}" rel="noopener noreferrer">Postmortem draft</a> in Google Docs</p>` : ''}${!open && incident.resolution ? `<p class="resolution"><strong>Resolution:</strong> ${esc(plainFromSlack(incident.resolution, model.nameOf))}</p>` : ''}`;
}

function phasesSection(model: IncidentPageModel): string {
  return `<h2>Phases</h2>${phaseChartSvg(model.facts.phases)}`;
}

function diagSection(model: IncidentPageModel): string {
  const run = model.diag;
  if (!run)
    return '<h2>Diagnosis</h2><p class="muted">No diagnosis has run in this incident yet (<code>/incident diag &lt;env&gt;</code>).</p>';
  const rows = run.checks
    .map((check) => {
      const finding = run.findings[check];
      const state = checkState(run, check);
      const evidence = finding
        ? Object.entries(finding.evidence)
            .slice(0, 12)
            .map(([k, v]) => `${k}=${v}`)
            .join(' · ')
        : '';
      return `<tr class="s-${esc(state)}"><td>${esc(check)}</td><td><span class="state">${esc(state)}</span></td><td>${esc(finding?.summary ?? '')}${evidence ? `<div class="evidence">${esc(evidence)}</div>` : ''}</td></tr>`;
    })
    .join('');
  const verdict = run.verdict
    ? `<div class="verdict"><p><strong>verdict: <code>${esc(run.verdict.code)}</code></strong> — ${esc(run.verdict.title)}</p><p>${mrkdwnToHtml(run.verdict.explanation)}</p><p><strong>Next step:</strong> ${mrkdwnToHtml(run.verdict.nextStep)}</p></div>`
    : '<p class="muted">Running…</p>';
  return `<h2>Diagnosis of ${esc(run.environment)} <small>run ${esc(run.id)}, ${esc(utc(run.startedAt))} UTC</small></h2>${verdict}<table class="checks"><thead><tr><th>Check</th><th>Status</th><th>Finding and evidence</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function pagingSection(model: IncidentPageModel): string {
  const { paging, remediations } = model.facts;
  const who = (id: string) => person(id, model.nameOf);
  const tiers = paging.length
    ? `<table><thead><tr><th>Tier</th><th>First paged</th><th>Paged</th><th>Acknowledged</th><th>Time to ack</th></tr></thead><tbody>${paging
        .map(
          (t) =>
            `<tr class="${t.slow ? 'slow' : ''}"><td>${esc(t.tier)}</td><td>${esc(utc(t.firstPagedAt))}</td><td>${esc(t.users.map(who).join(', '))}</td><td>${t.ackedBy ? `${esc(ackedByText(t.ackedBy, model.nameOf ?? byId))} ${esc(utc(t.ackedAt))}` : '<span class="muted">not acknowledged</span>'}</td><td>${t.timeToAckMs !== undefined ? esc(formatDuration(t.timeToAckMs)) : '—'}${t.slow ? ' <span class="badge late">late</span>' : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">Nobody has been paged.</p>';
  const fixes = remediations.length
    ? `<h2>Remediation</h2><ul>${remediations
        .map(
          (r) =>
            `<li>${esc(`${r.action} of ${r.service} (${r.environment})`)}: ${esc(r.state === 'done' ? (r.outcome ?? 'done') : r.state)}${r.requestedBy ? ` — requested by ${esc(who(r.requestedBy))}` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';
  return `<h2>Paging</h2>${tiers}${fixes}${followUpsSection(model)}`;
}

function followUpsSection(model: IncidentPageModel): string {
  const items = model.facts.followUps;
  if (items.length === 0)
    return '<h2>Follow-ups</h2><p class="muted">None recorded yet (<code>/incident followup &lt;text&gt; [@owner] [--due 7d]</code>).</p>';
  const rows = items
    .map(
      (f) =>
        `<tr class="f-${esc(f.state)}"><td>#${f.number}</td><td>${esc(plainFromSlack(f.text, model.nameOf))}</td><td>${f.owner ? esc(person(f.owner, model.nameOf)) : '—'}</td><td>${f.dueAt ? `${esc(utc(f.dueAt))} UTC` : '—'}</td><td>${esc(f.state)}</td></tr>`,
    )
    .join('');
  return `<h2>Follow-ups</h2><table class="follow-ups"><thead><tr><th>#</th><th>Action</th><th>Owner</th><th>Due</th><th>State</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The parts of the page that change as the incident moves, re-sent whole by the event stream. */
export function liveSections(
  model: IncidentPageModel,
): Record<'summary' | 'phases' | 'diag' | 'paging', string> {
  return {
    summary: summarySection(model),
    phases: phasesSection(model),
    diag: diagSection(model),
    paging: pagingSection(model),
  };
}

/** Kinds in the order the filter lists them: the timeline's own order of kinds. */
const KIND_ORDER = Object.keys(TIMELINE_EMOJI) as TimelineKind[];

function timelineSection(model: IncidentPageModel, view: PageView): string {
  const selected = view.kinds.length
    ? model.timeline.filter((e) => view.kinds.includes(e.kind))
    : model.timeline;
  const pages = Math.max(1, Math.ceil(selected.length / TIMELINE_SLICE_SIZE));
  const page = Math.min(Math.max(1, view.page ?? pages), pages);
  const rows = selected.slice((page - 1) * TIMELINE_SLICE_SIZE, page * TIMELINE_SLICE_SIZE);
  const present = new Set(model.timeline.map((e) => e.kind));
  const href = (p: number) => `?page=${p}${view.kinds.length ? `&kind=${view.kinds.join(',')}` : ''}`;
  const options = KIND_ORDER.filter((k) => present.has(k))
    .map(
      (k) =>
        `<option value="${esc(k)}"${view.kinds.length === 1 && view.kinds[0] === k ? ' selected' : ''}>${esc(k)}</option>`,
    )
    .join('');
  const pager =
    pages > 1
      ? `<nav class="pager">${page > 1 ? `<a href="${esc(href(1))}">« first</a> <a href="${esc(href(page - 1))}">‹ older</a>` : ''} page ${page} of ${pages} ${page < pages ? `<a href="${esc(href(page + 1))}">newer ›</a> <a href="${esc(href(pages))}">latest »</a>` : ''}</nav>`
      : '';
  return `<h2>Timeline <small>${selected.length} ${view.kinds.length ? `of ${model.timeline.length} ` : ''}entries</small></h2>
<form class="filter" method="get"><label>Kind <select name="kind" id="kind-filter"><option value="">all</option>${options}</select></label> <noscript><button>Filter</button></noscript></form>
${pager}<table class="timeline"><thead><tr><th>Time (UTC)</th><th>Kind</th><th>Who</th><th>What</th></tr></thead><tbody id="timeline-rows" data-live="${page === pages ? 'yes' : 'no'}" data-kinds="${esc(view.kinds.join(','))}">${rows.map((entry) => timelineRow(entry, model.nameOf)).join('')}</tbody></table>${pager}`;
}

/** The whole page. Pure: the same model and view give the same HTML. */
export function renderIncidentPage(model: IncidentPageModel, view: PageView): string {
  const sections = liveSections(model);
  const live = model.incident.status === 'open';
  // The link's token stays out of the page: access rides on the cookie the link set.
  const events = `/incidents/${encodeURIComponent(model.incident.id)}/events?after=${encodeURIComponent(model.lastId)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><meta name="robots" content="noindex">
<title>${esc(model.incident.severity)} · ${esc(model.incident.title)} — Warroom</title>
<style>${PAGE_STYLE}</style></head>
<body data-events="${live ? esc(events) : ''}">
<header id="summary">${sections.summary}</header>
<main>
<section id="phases">${sections.phases}</section>
<section id="diag">${sections.diag}</section>
<section id="paging">${sections.paging}</section>
<section id="timeline">${timelineSection(model, view)}</section>
</main>
<footer><span id="live-state">${live ? 'live' : 'closed: this page no longer updates'}</span> · ${esc(model.incident.id)} · rendered ${esc(utc(model.now.toISOString()))} UTC</footer>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}
