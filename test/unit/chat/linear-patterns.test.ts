import { check } from 'recheck';
import { SLACK_TEXT_PATTERNS } from '../../../src/chat/blocks';
import { CHANNEL_NAME_PATTERNS } from '../../../src/incident/channel-name';
import { TITLE_KEY_PATTERNS } from '../../../src/incident/open-incident';
import { PAGE_TEXT_PATTERNS } from '../../../src/web/html';

/**
 * Every regular expression that runs over text a person typed (or Slack sent), by module. The
 * transforms apply each one either across the text once or to disjoint parts of it (one markup
 * token, one emoji code), so a pattern that matches in linear time makes its transform linear.
 */
const TYPED_TEXT_PATTERNS: Record<string, Record<string, RegExp>> = {
  'chat/blocks': SLACK_TEXT_PATTERNS,
  'web/html': PAGE_TEXT_PATTERNS,
  'incident/channel-name': CHANNEL_NAME_PATTERNS,
  'incident/open-incident': TITLE_KEY_PATTERNS,
};

const patterns = Object.entries(TYPED_TEXT_PATTERNS).flatMap(([module, named]) =>
  Object.entries(named).map(([name, pattern]) => [`${module} ${name}`, pattern] as const),
);

/**
 * recheck's verdict from its automaton checker, which proves a bound (`safe`: no repetition that
 * can backtrack at all). Its fuzzer only fails to find an attack, so it is not asked.
 */
async function complexity(pattern: RegExp): Promise<string> {
  const result = await check(pattern.source, pattern.flags, { checker: 'automaton', timeout: 20_000 });
  if (result.status === 'unknown') return `unknown (${result.error.kind})`;
  return result.complexity.type;
}

describe('patterns run over typed text', () => {
  it.each(patterns)('%s matches in linear time at most (no ambiguous backtracking)', async (_, pattern) => {
    expect(['safe', 'constant', 'linear']).toContain(await complexity(pattern));
  });

  // The checker itself: it must flag the shapes that made 40k characters take seconds.
  it.each([
    ['a mention whose label runs to the next >', /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g],
    ['trailing underscores', /^_+|_+$/g],
  ])('flags %s as super-linear', async (_, pattern) => {
    expect(await complexity(pattern)).toBe('polynomial');
  });
});
