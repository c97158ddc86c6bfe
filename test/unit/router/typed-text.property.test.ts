import fc from 'fast-check';
import { registry } from '../../../commands';
import { createLogger } from '../../../src/log/logger';
import { dispatch } from '../../../src/router/dispatch';
import {
  commandServices,
  configFrom,
  invocation,
  openIncident,
  RecordingIncidents,
  RecordingRemediation,
} from '../../support/command-context';

const config = configFrom();
const log = createLogger({ level: 'silent' });

/** Pieces of text people type into a restart: quotes of every kind, apostrophes, options, spacing. */
const QUOTES = ['"', "'", '\u201c', '\u201d', '\u2018', '\u2019'];
const piece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('it', 'is', 'down', 'connector', 'web', 'staging', 'backend', 'x'),
  },
  { weight: 3, arbitrary: fc.constantFrom(...QUOTES) },
  { weight: 2, arbitrary: fc.constantFrom("it's", 'can\u2019t', "users'", "'cause", '5"', 'a"b') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('--dry-run', '--DRY-RUN', '\u2014dry-run', '--reason', '--reason=it'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('--force', '-dry-run', '--dryrun', '--', '<@U1|a', '>', '<#C1|ops>'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }) },
);
const glue = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '');
/** `restart staging backend` and then anything, built of pieces joined by spacing (or none). */
const restartText = fc
  .array(fc.tuple(piece, glue), { maxLength: 10 })
  .map((parts) => `restart staging backend ${parts.map(([p, g]) => p + g).join('')}`);

/** A dry-run option written as a word of its own, as the person sees it in the text. */
const DRY_RUN_WORD = /^(?:--|\u2014|\u2013)dry-run$/i;
const hasDryRunWord = (text: string) => text.split(/\s+/).some((word) => DRY_RUN_WORD.test(word));

describe('text typed after /incident', () => {
  it('is a dry run whenever --dry-run is there as a word: never a real restart', async () => {
    const remediation = new RecordingRemediation();
    const base = { config, registry, log, services: commandServices(config, { remediation }) };
    let asked = 0;
    await fc.assert(
      fc.asyncProperty(restartText, async (text) => {
        const before = remediation.asked.length;
        const { reply } = await dispatch({ ...base, invocation: invocation(text, 'U1', 'C1') });
        expect(reply.text.length).toBeGreaterThan(0);
        const ask = remediation.asked[before];
        if (ask === undefined) return;
        asked++;
        if (hasDryRunWord(text)) expect(ask.dryRun).toBe(true);
        // A reason never swallows an option, whatever quotes came before it.
        expect(ask.reason ?? '').not.toMatch(/(^|\s)(--|\u2014)dry-run(\s|$)/i);
      }),
      { numRuns: 4000 },
    );
    // The generator must reach the remediation desk often enough for the property to mean something.
    expect(asked).toBeGreaterThan(400);
  });

  it('takes a note exactly as typed when no word opens a quote', async () => {
    const incidents = new RecordingIncidents();
    incidents.add(openIncident({ channelId: 'CINC' }));
    const base = { config, registry, log, services: commandServices(config, { incidents }) };
    const noteText = fc
      .array(
        fc.oneof(
          fc.constantFrom("it's", 'can\u2019t', "users'", '5"', 'a"b', '--dry-run', '--x', 'down'),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((words) => words.join(' '))
      .filter((text) => text.trim() !== '' && !text.split(/\s+/).some((w) => /^["'\u201c\u2018<]/.test(w)));
    await fc.assert(
      fc.asyncProperty(noteText, async (text) => {
        const before = incidents.calls.length;
        await dispatch({ ...base, invocation: invocation(`note ${text}`, 'U1', 'CINC') });
        const note = incidents.calls.slice(before).find((c) => c.method === 'note');
        expect(note?.args[2]).toBe(text.trim());
      }),
      { numRuns: 2000 },
    );
  });
});
