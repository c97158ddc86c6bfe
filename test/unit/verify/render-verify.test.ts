import type { KnownBlock, SectionBlock } from '@slack/types';
import { compactMark, renderVerifyResult } from '../../../src/verify/render-verify';
import type { CriterionResult, VerifyResult } from '../../../src/verify/verify-result';

const criterion = (c: Partial<CriterionResult> & Pick<CriterionResult, 'criterion'>): CriterionResult => ({
  status: 'pass',
  summary: `${c.criterion} ok`,
  details: [],
  durationMs: 120,
  ...c,
});

const AT = '2025-03-14T09:26:53.000Z';
const passing: VerifyResult = {
  environment: 'staging',
  at: AT,
  passed: true,
  criteria: [
    criterion({
      criterion: 'health',
      summary: '3/3 endpoints 200, slowest auth 212 ms (target: 200 within 10 s)',
    }),
    criterion({
      criterion: 'database',
      summary: 'connected to 10.20.0.3:5432 in 40 ms (target: connected in under 35 s)',
    }),
    criterion({
      criterion: 'cloud-run',
      summary: '3/3 services ready (target: every service ready)',
      durationMs: 1_900,
    }),
    criterion({ criterion: 'steps', summary: '2/2 steps passed, slowest ai-response 320 ms' }),
  ],
};
const failing: VerifyResult = {
  ...passing,
  passed: false,
  criteria: [
    criterion({
      criterion: 'health',
      status: 'fail',
      summary: '3/3 endpoints failing: backend 503 in 12 ms (target: 200 within 10 s)',
      details: ['backend 503 in 12 ms (https://backend.staging.example.com/health)', 'auth <b> & co 503'],
    }),
    criterion({ criterion: 'database', status: 'not-checked', summary: 'no database probe configured' }),
    criterion({
      criterion: 'cloud-run',
      status: 'fail',
      summary: '3/3 services not ready: backend, auth, ai exited during start-up (exit code 3)',
      details: Array.from({ length: 12 }, (_, i) => `svc-${i}: not ready`),
    }),
    criterion({ criterion: 'steps', summary: '1/1 steps passed', details: ['login: POST … → 200 in 80 ms'] }),
  ],
};

const texts = (blocks: KnownBlock[] = []) =>
  blocks.map((b) =>
    b.type === 'header'
      ? b.text.text
      : b.type === 'context'
        ? b.elements.map((e) => ('text' in e ? e.text : '')).join(' ')
        : ((b as SectionBlock).text?.text ?? ''),
  );

describe('renderVerifyResult', () => {
  it('heads a passing result with a check mark and a line per criterion', () => {
    const message = renderVerifyResult(passing, { requestedBy: 'U0ALICE' });
    const [head, ...rest] = texts(message.blocks);
    expect(head).toBe(':white_check_mark: staging meets every success criterion');
    expect(rest.slice(0, 4)).toEqual([
      ':large_green_circle: *health* — 3/3 endpoints 200, slowest auth 212 ms (target: 200 within 10 s)',
      ':large_green_circle: *database* — connected to 10.20.0.3:5432 in 40 ms (target: connected in under 35 s)',
      ':large_green_circle: *cloud-run* — 3/3 services ready (target: every service ready)',
      ':large_green_circle: *steps* — 2/2 steps passed, slowest ai-response 320 ms',
    ]);
    expect(rest[4]).toBe(
      'Requested by <@U0ALICE> · verified at <!date^1741944413^{date_short_pretty} {time_secs}|2025-03-14 09:26:53 UTC> · took 2s',
    );
  });

  it('counts only the checked criteria in a failing headline and shows details under failures', () => {
    const message = renderVerifyResult(failing, {});
    const lines = texts(message.blocks);
    expect(lines[0]).toBe(':x: staging fails 2 of 3 criteria');
    expect(lines[1]).toContain('• backend 503 in 12 ms (https://backend.staging.example.com/health)');
    expect(lines[1]).toContain('• auth &lt;b&gt; &amp; co 503');
    expect(lines[2]).toBe(':heavy_minus_sign: *database* — no database probe configured');
    expect(lines[3]).toContain('• svc-7: not ready');
    expect(lines[3]).not.toContain('svc-8');
    expect(lines[3]).toContain('…and 4 more');
    expect(lines[4]).toBe(':large_green_circle: *steps* — 1/1 steps passed');
    expect(lines[5]).toMatch(/^verified at <!date\^/);
  });

  it('gives a plain-text fallback with the verdict and every criterion', () => {
    expect(renderVerifyResult(failing, {}).text).toBe(
      [
        'staging fails 2 of 3 criteria.',
        'health: fail — 3/3 endpoints failing: backend 503 in 12 ms (target: 200 within 10 s)',
        'database: not checked — no database probe configured',
        'cloud-run: fail — 3/3 services not ready: backend, auth, ai exited during start-up (exit code 3)',
        'steps: pass — 1/1 steps passed',
      ].join('\n'),
    );
  });

  it('says how many criteria were checked when it passes without all of them', () => {
    const partial: VerifyResult = {
      ...passing,
      criteria: passing.criteria.map((c) =>
        c.criterion === 'steps' ? { ...c, status: 'not-checked', summary: 'no steps configured' } : c,
      ),
    };
    expect(texts(renderVerifyResult(partial).blocks)[0]).toBe(
      ':white_check_mark: staging meets every success criterion checked (3 of 4)',
    );
  });

  it('warns rather than passes when nothing could be checked', () => {
    const none: VerifyResult = {
      ...passing,
      passed: false,
      criteria: passing.criteria.map((c) => ({ ...c, status: 'not-checked' as const })),
    };
    expect(texts(renderVerifyResult(none).blocks)[0]).toBe(
      ':warning: staging: no success criterion is configured',
    );
  });
});

describe('compactMark', () => {
  it('is green for a pass and red for a fail', () => {
    expect(compactMark(passing)).toBe(':large_green_square:');
    expect(compactMark(failing)).toBe(':large_red_square:');
  });
});
