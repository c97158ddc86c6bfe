import type { DiagRun } from '../../../src/diag/diag-run';
import type { Finding } from '../../../src/diag/finding';
import { renderDiagStatus, renderFindingDetail } from '../../../src/diag/render-diag';
import type { Verdict } from '../../../src/diag/verdict';
import { renderText } from '../../../src/shell/render-text';

const connectorDown: Finding = {
  check: 'vpc-connector',
  status: 'fail',
  summary: 'state ERROR (min 2, max 3, e2-micro)',
  details: ['The connector is not READY: its instances cannot carry traffic.'],
  evidence: { connectorState: 'ERROR', maxInstances: 3 },
  durationMs: 420,
};

const verdict: Verdict = {
  code: 'vpc-connector-down',
  title: 'The VPC Access connector is down',
  explanation: 'staging-connector is in state ERROR; services reach Cloud SQL only through it.',
  evidence: ['vpc-connector: state ERROR (min 2, max 3, e2-micro)'],
  nextStep: 'Recreate or redeploy the connector; a restart is unlikely to help while it is down.',
  missing: ['logs: permission denied — grant roles/logging.viewer'],
};

function run(overrides: Partial<DiagRun> = {}): DiagRun {
  return {
    id: 'd1',
    environment: 'staging',
    channelId: 'C1',
    requestedBy: 'U1',
    startedAt: '2026-11-28T23:59:58.000Z',
    checks: ['vpc-connector', 'cloud-sql', 'logs'],
    states: {},
    findings: {},
    ...overrides,
  };
}

describe('renderDiagStatus', () => {
  it('lists every check as queued before anything ran', () => {
    const text = renderText(renderDiagStatus(run()));
    expect(text).toContain('0/3 checks done');
    expect(text).toContain('⚪ *vpc-connector* — queued');
    expect(text).toContain('⚪ *logs* — queued');
  });

  it('shows running checks and the summary of finished ones', () => {
    const text = renderText(
      renderDiagStatus(
        run({ states: { 'cloud-sql': 'running' }, findings: { 'vpc-connector': connectorDown } }),
      ),
    );
    expect(text).toContain('1/3 checks done');
    expect(text).toContain('🔴 *vpc-connector* — state ERROR (min 2, max 3, e2-micro)');
    expect(text).toContain('⏳ *cloud-sql* — running');
  });

  it('ends with the verdict code, explanation, evidence, what is missing and the next step', () => {
    const message = renderDiagStatus(
      run({ findings: { 'vpc-connector': connectorDown }, verdict, finishedAt: '2026-11-29T00:00:01.500Z' }),
    );
    expect(message.text).toBe(
      'Diagnosis of staging: verdict: vpc-connector-down — The VPC Access connector is down',
    );
    const text = renderText(message);
    expect(text).toContain('finished in 4s');
    expect(text).toContain('verdict: `vpc-connector-down`');
    expect(text).toContain('• vpc-connector: state ERROR');
    expect(text).toContain('*Could not check*\n• logs: permission denied — grant roles/logging.viewer');
    expect(text).toContain('*Next step:* Recreate or redeploy the connector');
  });

  it('renders the start time as a Slack date token with a UTC fallback', () => {
    expect(JSON.stringify(renderDiagStatus(run()).blocks)).toContain(
      '<!date^1795910398^{date_short_pretty} {time_secs}|2026-11-28 23:59:58 UTC>',
    );
  });

  it('escapes markup that comes from Google Cloud', () => {
    const finding = { ...connectorDown, summary: 'message <!channel> & co' };
    expect(
      JSON.stringify(renderDiagStatus(run({ findings: { 'vpc-connector': finding } })).blocks),
    ).toContain('&lt;!channel&gt; &amp; co');
  });
});

describe('renderFindingDetail', () => {
  it('gives the details and the evidence', () => {
    const text = renderText(renderFindingDetail(connectorDown));
    expect(text).toContain('The connector is not READY');
    expect(text).toContain('evidence: connectorState=ERROR  maxInstances=3');
  });

  it('says why a check could not run and how to fix it', () => {
    const unknown: Finding = {
      ...connectorDown,
      status: 'unknown',
      summary: 'could not run: permission denied',
      details: [],
      evidence: {},
      cannotRun: {
        reason: "permission 'vpcaccess.connectors.get' denied",
        fix: 'grant roles/vpcaccess.viewer',
      },
    };
    expect(renderText(renderFindingDetail(unknown))).toContain('*To fix:* grant roles/vpcaccess.viewer');
  });
});
