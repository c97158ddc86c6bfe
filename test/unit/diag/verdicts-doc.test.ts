import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERDICT_CODES } from '../../../src/diag/verdict-rules';

const doc = readFileSync(join(__dirname, '../../../docs/verdicts.md'), 'utf8');

describe('docs/verdicts.md', () => {
  it.each(VERDICT_CODES)('has a row for %s', (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` +\\|`, 'm'));
  });

  it('names no code the verdict table does not have', () => {
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
    expect(rows.filter((code) => !(VERDICT_CODES as readonly string[]).includes(code))).toEqual([]);
  });
});
