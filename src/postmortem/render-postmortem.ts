import { formatDuration } from '../config/duration';
import type { Config } from '../config/schema';
import { collectRecapFacts } from '../incident/collect-recap-facts';
import { BOT_ACTOR, type Incident, type TimelineEntry } from '../incident/incident';
import { esc, plainFromSlack, utc } from '../web/html';

/** The sections of the draft, in the order a postmortem template has them. */
export const POSTMORTEM_SECTIONS = [
  'Summary',
  'Impact',
  'Timeline',
  'Diagnoses',
  'Remediation',
  'Phases',
  'Time to acknowledge',
  'Follow-ups',
  'Root cause',
  'What went well',
  'What went badly',
] as const;

/** The most timeline rows the draft carries; the incident page has them all. */
const MAX_TIMELINE_ROWS = 1000;
const TO_WRITE = '<p><em>To write together.</em></p>';

/** A Slack user or group id as a reader should see it: a display name once resolved, else the id. */
export type NameOf = (id: string) => string;

/** The document's name in Drive: the same for every attempt, so a retried close can find it. */
export function postmortemName(incident: Pick<Incident, 'id' | 'title'>): string {
  return `Postmortem ${incident.id}: ${incident.title}`.slice(0, 200);
}

const table = (head: string[], rows: string[][]) =>
  rows.length === 0
    ? '<p><em>None.</em></p>'
    : `<table border="1" cellpadding="4"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
const when = (iso: string | undefined) => (iso ? `${esc(utc(iso))} UTC` : '—');

/**
 * The postmortem draft as HTML, which Drive converts into a Google Doc. Pure: the record and the
 * timeline in, the document out. Everything people typed is escaped, Slack markup made plain text;
 * times are UTC; people are shown by `nameOf`.
 */
export function renderPostmortem(
  incident: Incident,
  timeline: readonly TimelineEntry[],
  config: Pick<Config, 'phases' | 'escalation'>,
  options: { nameOf?: NameOf; pageUrl?: string; now?: Date } = {},
): string {
  const nameOf: NameOf = options.nameOf ?? ((id) => id);
  const person = (id: string | undefined) =>
    !id ? '—' : id === BOT_ACTOR ? 'Warroom' : esc(`@${nameOf(id)}`);
  const text = (slack: string) => esc(plainFromSlack(slack, nameOf));
  const f = collectRecapFacts(incident, timeline, config, options.now);
  const lastStatus = f.statusUpdates.at(-1);
  const sections: Record<(typeof POSTMORTEM_SECTIONS)[number], string> = {
    Summary: `<p><strong>Last status:</strong> ${lastStatus ? `${text(lastStatus.text)} (${person(lastStatus.by)}, ${when(lastStatus.at)})` : '—'}</p><p><strong>Resolution:</strong> ${incident.resolution ? text(incident.resolution) : '—'}</p>`,
    Impact: `<p>${esc(incident.environment)} was affected for ${esc(formatDuration(f.totalMs))} (severity ${esc(incident.severity)}).</p>${verificationImpact(timeline)}<p><em>To complete: who was affected, and how.</em></p>`,
    Timeline: table(
      ['Time (UTC)', 'Who', 'What'],
      timeline
        .slice(0, MAX_TIMELINE_ROWS)
        .map((e) => [esc(utc(e.at)), person(e.actor), `${esc(e.kind)}: ${text(e.text)}`]),
    ),
    Diagnoses: diagnoses(timeline, text),
    Remediation: table(
      ['Action', 'Requested by', 'Approved by', 'Outcome', 'At (UTC)'],
      f.remediations.map((r) => [
        esc(`${r.action} of ${r.service} (${r.environment})`),
        person(r.requestedBy),
        approvers(timeline, r.requestId).map(person).join(', ') || '—',
        esc(r.state === 'done' ? (r.outcome ?? 'done') : r.state),
        esc(utc(r.at)),
      ]),
    ),
    Phases: table(
      ['Phase', 'Budget', 'Actual', 'Over / under', 'Visits'],
      f.phases.map((p) => [
        esc(p.name),
        p.budgetMs === undefined ? '—' : esc(formatDuration(p.budgetMs)),
        p.status === 'skipped' || p.status === 'pending' ? esc(p.status) : esc(formatDuration(p.actualMs)),
        p.deltaMs === undefined ? '—' : esc(`${p.deltaMs > 0 ? '+' : ''}${formatDuration(p.deltaMs)}`),
        String(p.visits),
      ]),
    ),
    'Time to acknowledge': table(
      ['Tier', 'First paged (UTC)', 'Acknowledged by', 'Time to ack'],
      f.paging.map((t) => [
        esc(t.tier),
        esc(utc(t.firstPagedAt)),
        person(t.ackedBy),
        `${t.timeToAckMs === undefined ? 'not acknowledged' : esc(formatDuration(t.timeToAckMs))}${t.slow ? ' (late)' : ''}`,
      ]),
    ),
    'Follow-ups': table(
      ['#', 'Action', 'Owner', 'Due (UTC)', 'State'],
      f.followUps.map((item) => [
        String(item.number),
        text(item.text),
        person(item.owner),
        when(item.dueAt),
        esc(item.state),
      ]),
    ),
    'Root cause': TO_WRITE,
    'What went well': TO_WRITE,
    'What went badly': TO_WRITE,
  };
  const facts: [string, string][] = [
    ['Severity', esc(incident.severity)],
    ['Environment', esc(incident.environment)],
    ['Commander', person(incident.commander)],
    ['Started', when(incident.openedAt)],
    ['Ended', f.open ? 'still open' : when(f.endedAt)],
    ['Duration', esc(formatDuration(f.totalMs))],
  ];
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(postmortemName(incident))}</title></head><body>
<h1>${esc(incident.title)}</h1>
<p>Incident ${esc(incident.id)}${options.pageUrl ? ` · <a href="${esc(options.pageUrl)}">incident page</a>` : ''}</p>
<table border="1" cellpadding="4"><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>
${POSTMORTEM_SECTIONS.map((title) => `<h2>${esc(title)}</h2>\n${sections[title]}`).join('\n')}
</body></html>`;
}

function diagnoses(timeline: readonly TimelineEntry[], text: (s: string) => string): string {
  const runs = timeline.filter((e) => e.kind === 'diag-finished' && typeof e.data.verdict === 'string');
  if (runs.length === 0) return '<p><em>No diagnosis ran.</em></p>';
  return runs
    .map((e) => {
      const evidence = Array.isArray(e.data.evidence) ? e.data.evidence.map(String) : [];
      return `<h3>${esc(utc(e.at))} UTC — verdict ${esc(String(e.data.verdict))}</h3><p>${text(String(e.data.title ?? ''))}</p>${
        typeof e.data.explanation === 'string' ? `<p>${text(e.data.explanation)}</p>` : ''
      }${evidence.length ? `<ul>${evidence.map((line) => `<li>${text(line)}</li>`).join('')}</ul>` : ''}`;
    })
    .join('');
}

function approvers(timeline: readonly TimelineEntry[], requestId: string): string[] {
  return timeline
    .filter((e) => e.kind === 'remediation-approved' && e.data.requestId === requestId)
    .map((e) => e.actor);
}

function verificationImpact(timeline: readonly TimelineEntry[]): string {
  const failing = [
    ...new Set(
      timeline
        .filter((e) => e.kind === 'verification' && Array.isArray(e.data.failing))
        .flatMap((e) => (e.data.failing as unknown[]).map(String)),
    ),
  ];
  return failing.length ? `<p>Verification saw failing: ${esc(failing.join(', '))}.</p>` : '';
}
