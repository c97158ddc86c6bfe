import type { Finding } from '../../../src/diag/finding';
import { renderDiagStatus, renderFindingDetail } from '../../../src/diag/render-diag';
import type { Watch } from '../../../src/verify/redis-watch-store';
import { renderVerifyResult } from '../../../src/verify/render-verify';
import { renderWatch } from '../../../src/verify/render-watch';
import type { VerifyResult } from '../../../src/verify/verify-result';

const ACCESS_TOKEN = 'ya29.a0AfH6SMBx3dGh7kLmNoPq';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJl';
const LINK = '1797476400.bd43oLIPwmjfTEWsvZIpDKEmea3W5evZhHnCqAgKTR4';
const SECRETS = [ACCESS_TOKEN, JWT, LINK, 'Hunter2-9f8e7d'];
/** Text as an outside error might word it, credentials and all. */
const QUOTED = `login answered 401: {"access_token":"${ACCESS_TOKEN}"} for Authorization: Bearer ${JWT}`;
const MORE = `see https://w.example/incidents/inc-1?token=${LINK}; db password=Hunter2-9f8e7d`;

const expectNoSecret = (rendered: unknown) => {
  const text = JSON.stringify(rendered);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text).toContain('[redacted]');
};

describe('what a verification or a diagnosis quotes from outside is shown without credentials', () => {
  it('in a verification result', () => {
    const result: VerifyResult = {
      environment: 'staging',
      at: '2026-12-03T10:00:00.000Z',
      passed: false,
      criteria: [
        { criterion: 'steps', status: 'fail', summary: QUOTED, details: [QUOTED, MORE], durationMs: 10 },
        { criterion: 'health', status: 'fail', summary: MORE, details: [MORE], durationMs: 10 },
      ],
    };
    expectNoSecret(renderVerifyResult(result));
  });

  it.each(['watching', 'failed', 'stopped'] as const)('in a watch that is %s', (state) => {
    const watch: Watch = {
      id: 'w1',
      environment: 'staging',
      channelId: 'C1',
      requestedBy: 'U1',
      startedAt: '2026-12-03T10:00:00.000Z',
      endsAt: '2026-12-03T11:00:00.000Z',
      durationMs: 3_600_000,
      everyMs: 60_000,
      totalTicks: 61,
      state,
      outcome: `1 of 2 verifications failed: ${QUOTED}`,
    };
    const ticks = [{ at: '2026-12-03T10:01:00.000Z', passed: false, failing: [`steps: ${QUOTED}`, MORE] }];
    expectNoSecret(renderWatch(watch, ticks));
  });

  it('in a finding and the run status', () => {
    const finding: Finding = {
      check: 'logs',
      status: 'fail',
      summary: QUOTED,
      details: [MORE],
      evidence: { sample: QUOTED },
      cannotRun: { reason: MORE, fix: QUOTED },
      durationMs: 10,
    };
    expectNoSecret(renderFindingDetail(finding));
    expectNoSecret(
      renderDiagStatus({
        id: 'd1',
        environment: 'staging',
        channelId: 'C1',
        requestedBy: 'U1',
        startedAt: '2026-12-03T10:00:00.000Z',
        checks: ['logs'],
        states: {},
        findings: { logs: finding },
      }),
    );
  });
});
