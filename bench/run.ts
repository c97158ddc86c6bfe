/**
 * `npm run bench`: the real bot (HTTP mode, a child process on the compiled build), the real Redis,
 * the loopback fake Slack and the Google Cloud simulator. Prints each figure beside its target and
 * writes bench/results.json. Figures are ratios and percentiles from one run on this machine.
 * `npm run bench -- --only text,ack-path` runs some sections only (bot, burst, text, ack-path) and
 * leaves results.json as it is. bench/README.md says what each row means.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchRig } from './bench-rig';
import { printTable, type Row, type SectionResult } from './lib';
import { ackBaseline } from './sections/ack-baseline';
import { ackPath } from './sections/ack-path';
import { botLoad } from './sections/bot-load';
import { burst } from './sections/burst';
import { diagWallTime } from './sections/diag-wall-time';
import { incidentPage } from './sections/incident-page';
import { shutdown } from './sections/shutdown';
import { slackLimits } from './sections/slack-limits';
import { typedText } from './sections/typed-text';

/**
 * What `--only` can name: `bot` is every section that needs the bot (the burst among them) except
 * the ack path of long incidents; `burst` is `npm start` under 100 diagnoses and 25 commands alone.
 */
const SECTIONS = ['bot', 'burst', 'text', 'ack-path'] as const;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  const only = selectedSections(process.argv.slice(2));
  const measured: SectionResult[] = [
    ...(only.has('text') ? [typedText()] : []),
    ...(only.has('bot') || only.has('burst') || only.has('ack-path') ? await botSections(only) : []),
  ];
  const rows = measured.flatMap((section) => section.rows);
  printTable(rows);
  if (only.size < SECTIONS.length) {
    console.log('\nsome sections only: bench/results.json left as it is');
    return;
  }
  writeResults(rows, Object.assign({}, ...measured.map((section) => section.results)));
}

/**
 * The sections that need the bot, in order. They share the fakes and the Redis. The burst comes
 * first: it runs `npm start` alone on the queues and stops it. From the load on, the sections talk
 * to the Slack app with a worker process beside it, as the scaled-out deployment runs.
 */
async function botSections(only: ReadonlySet<Section>): Promise<SectionResult[]> {
  const rig = await BenchRig.start();
  try {
    const first = only.has('bot') || only.has('burst') ? [await burst(rig)] : [];
    if (!only.has('bot')) {
      if (!only.has('ack-path')) return first;
      await rig.startApp();
      return [...first, await ackPath(rig)];
    }
    const sections = [
      ...first,
      await botLoad(rig),
      await diagWallTime(rig),
      await slackLimits(rig),
      await ackBaseline(rig),
      await incidentPage(rig),
      ...(only.has('ack-path') ? [await ackPath(rig)] : []),
      await shutdown(rig),
    ];
    // Slack's 429s and early calls over the whole run: rate limiting stays on after slack-limits.
    const slack = { rateLimited: rig.slack.rateLimitedCount, violations: rig.slack.violations.length };
    return [...sections, { rows: [], results: slack }];
  } finally {
    await rig.close();
  }
}

/** The sections `--only a,b` names, or all of them. */
function selectedSections(argv: readonly string[]): ReadonlySet<Section> {
  const at = argv.indexOf('--only');
  if (at < 0) return new Set(SECTIONS);
  const names = (argv[at + 1] ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !SECTIONS.includes(name as Section));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `--only takes sections among ${SECTIONS.join(', ')}, comma-separated; not "${argv[at + 1] ?? ''}"`,
    );
  }
  return new Set(names as Section[]);
}

function writeResults(rows: readonly Row[], results: Record<string, unknown>): void {
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const file = join(__dirname, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, rows, results }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${file}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
