import type { KnownBlock } from '@slack/types';
import { context, escapeText, section } from '../chat/blocks';
import type { ChatMessage } from '../chat/message';
import { slackDate } from '../chat/slack-date';
import { formatDuration } from '../config/duration';
import { scrubCredentials } from '../log/scrub-credentials';
import { checkState, type DiagRun } from './diag-run';
import type { CheckState, Finding } from './finding';
import type { Verdict } from './verdict';

export const STATE_EMOJI: Record<CheckState, string> = {
  queued: ':white_circle:',
  running: ':hourglass_flowing_sand:',
  ok: ':large_green_circle:',
  warn: ':large_yellow_circle:',
  fail: ':red_circle:',
  unknown: ':question:',
  skipped: ':heavy_minus_sign:',
};

/**
 * Text a check or a verification quotes from outside (Google's messages, log lines, drivers' and
 * endpoints' errors), as Slack shows it: scrubbed of credentials, whatever the source removed, and
 * escaped.
 */
export const outsideText = (text: string): string => escapeText(scrubCredentials(text));

/** The live status message of a diag run: a line per check, then the verdict once there is one. Pure. */
export function renderDiagStatus(run: DiagRun): ChatMessage {
  const done = run.checks.filter((c) => run.findings[c]).length;
  const lines = run.checks.map((check) => checkLine(run, check));
  const title = `Diagnosis of *${escapeText(run.environment)}*`;
  const progress = run.verdict
    ? `finished in ${formatDuration(elapsedMs(run))}`
    : `${done}/${run.checks.length} checks done`;
  const blocks: KnownBlock[] = [section(`:mag: ${title} — ${progress}`), section(lines.join('\n'))];
  if (run.verdict) blocks.push({ type: 'divider' }, ...verdictBlocks(run.verdict));
  blocks.push(context(`Requested by <@${run.requestedBy}> at ${slackDate(run.startedAt)} · run ${run.id}`));
  const text = run.verdict
    ? `Diagnosis of ${run.environment}: verdict: ${run.verdict.code} — ${run.verdict.title}`
    : `Diagnosis of ${run.environment}: ${progress}`;
  return { text, blocks };
}

function checkLine(run: DiagRun, check: DiagRun['checks'][number]): string {
  const state = checkState(run, check);
  const finding = run.findings[check];
  const summary = finding ? outsideText(finding.summary) : state;
  return `${STATE_EMOJI[state]} *${check}* — ${summary}`;
}

export function verdictBlocks(verdict: Verdict): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(
      `*verdict: \`${verdict.code}\`* — ${escapeText(verdict.title)}\n${escapeText(verdict.explanation)}`,
    ),
  ];
  if (verdict.evidence.length > 0) {
    blocks.push(section(`*Evidence*\n${verdict.evidence.map((e) => `• ${escapeText(e)}`).join('\n')}`));
  }
  if (verdict.missing && verdict.missing.length > 0) {
    blocks.push(section(`*Could not check*\n${verdict.missing.map((m) => `• ${escapeText(m)}`).join('\n')}`));
  }
  blocks.push(section(`*Next step:* ${escapeText(verdict.nextStep)}`));
  return blocks;
}

/** The thread reply for a check that is not ok: its details, evidence and, if it could not run, the fix. */
export function renderFindingDetail(finding: Finding): ChatMessage {
  const head = `${STATE_EMOJI[finding.status]} *${finding.check}* — ${outsideText(finding.summary)}`;
  const details = finding.details.map((d) => `• ${outsideText(d)}`).join('\n');
  const evidence = Object.entries(finding.evidence)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}=${outsideText(String(value))}`)
    .join('  ');
  const blocks: KnownBlock[] = [section(details ? `${head}\n${details}` : head)];
  if (finding.cannotRun) {
    const fix = finding.cannotRun.fix ? `\n*To fix:* ${outsideText(finding.cannotRun.fix)}` : '';
    blocks.push(section(`*Could not run:* ${outsideText(finding.cannotRun.reason)}${fix}`));
  }
  if (evidence) blocks.push(context(`evidence: ${evidence}`));
  blocks.push(context(`took ${formatDuration(finding.durationMs)}`));
  return { text: `${finding.check}: ${finding.status} — ${scrubCredentials(finding.summary)}`, blocks };
}

function elapsedMs(run: DiagRun): number {
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return Math.max(0, end - Date.parse(run.startedAt));
}
