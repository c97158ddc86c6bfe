import protos from '@google-cloud/run/build/protos/protos.json';
import { judgeCloudRun } from '../../../src/diag/checks/cloud-run';
import type { ServiceEvidence } from '../../../src/diag/checks/cloud-run-service';
import {
  REVISION_REASONS,
  type RevisionReasonName,
  reasonNamed,
  reasonsInFinding,
  reasonsOf,
} from '../../../src/diag/checks/revision-reasons';
import type { CloudRunService } from '../../../src/gcp/cloud-gateway';

const NOW = new Date('2026-01-15T10:00:00Z');
const BASE = 'projects/acme-staging/locations/us-central1/services';
const condition = protos.nested.google.nested.cloud.nested.run.nested.v2.nested.Condition.nested;
const ENUM_OF = { reason: condition.CommonReason.values, revisionReason: condition.RevisionReason.values };

/** A service whose newest revision was refused or failed with `reason` in `field`. */
function failed(name: string, field: 'reason' | 'revisionReason', reason: string | number): ServiceEvidence {
  const newest = `${BASE}/${name}/revisions/${name}-00043-new`;
  const service: CloudRunService = {
    name: `${BASE}/${name}`,
    terminalCondition: {
      type: 'Ready',
      state: 'CONDITION_FAILED',
      message: `Revision '${name}-00043-new' is not ready and cannot serve traffic.`,
      reason: 'REVISION_FAILED',
    },
    latestCreatedRevision: newest,
    latestReadyRevision: `${BASE}/${name}/revisions/${name}-00042-old`,
    template: {
      vpcAccess: { connector: 'projects/acme-staging/locations/us-central1/connectors/staging-connector' },
    },
  };
  return {
    name,
    service,
    revisions: [
      {
        name: newest,
        createTime: { seconds: String(NOW.getTime() / 1000 - 20 * 60), nanos: 0 },
        conditions: [{ type: 'Ready', state: 'CONDITION_FAILED', [field]: reason }],
      },
    ],
  };
}
const expected = { region: 'us-central1', connector: 'staging-connector' };
const rows = Object.entries(REVISION_REASONS) as [
  RevisionReasonName,
  (typeof REVISION_REASONS)[RevisionReasonName],
][];

describe('revision condition reasons', () => {
  it.each(rows)('%s has the field and number of condition.proto, a meaning and a fix', (name, row) => {
    expect((ENUM_OF[row.field] as Record<string, number>)[name]).toBe(row.number);
    expect(row.meaning).toMatch(/^[a-z].{20,}[^.]$/);
    expect(row.fix).toMatch(/^[a-z].{20,}[^.]$/);
  });

  it.each(rows)('reads %s as a name (REST JSON) and as a number (numeric enums)', (name, row) => {
    expect(reasonNamed(row.field, name)).toBe(name);
    expect(reasonNamed(row.field, row.number)).toBe(name);
  });

  it('does not read a reason from the other enum or one it does not explain', () => {
    expect(reasonNamed('revisionReason', 'CONTAINER_MISSING')).toBeUndefined();
    // 6 is CONTAINER_MISSING as a CommonReason, HEALTH_CHECK_CONTAINER_ERROR as a RevisionReason.
    expect(reasonNamed('revisionReason', 6)).toBe('HEALTH_CHECK_CONTAINER_ERROR');
    expect(reasonNamed('reason', 'REVISION_FAILED')).toBeUndefined();
    expect(reasonNamed('revisionReason', 'RETIRED')).toBeUndefined();
    expect(reasonNamed('reason', undefined)).toBeUndefined();
  });

  it("reads the service's conditions and its newest revision's, each reason once", () => {
    const { service, revisions } = failed('backend', 'reason', 'CONTAINER_MISSING');
    const withBoth: CloudRunService = {
      ...service,
      conditions: [{ type: 'ConfigurationsReady', state: 'CONDITION_FAILED', reason: 6 }],
    };
    expect(reasonsOf(withBoth as CloudRunService, revisions[0])).toEqual(['CONTAINER_MISSING']);
    expect(
      reasonsOf({ terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' } }, undefined),
    ).toEqual([]);
  });
});

describe('cloud-run judge with condition reasons', () => {
  it('names the reason in the summary, explains it with its fix and records it per service', () => {
    const judged = judgeCloudRun(
      [failed('backend', 'reason', 'CONTAINER_MISSING'), failed('auth', 'revisionReason', 6)],
      expected,
      NOW,
    );
    expect(judged.status).toBe('fail');
    expect(judged.summary).toBe(
      '2/2 services not ready: backend not ready (CONTAINER_MISSING); auth not ready (HEALTH_CHECK_CONTAINER_ERROR)',
    );
    expect(judged.details).toContain(
      `backend: CONTAINER_MISSING: ${REVISION_REASONS.CONTAINER_MISSING.meaning}. Fix: ${REVISION_REASONS.CONTAINER_MISSING.fix}.`,
    );
    expect(judged.evidence).toMatchObject({
      'reasons:backend': 'CONTAINER_MISSING',
      'reasons:auth': 'HEALTH_CHECK_CONTAINER_ERROR',
    });
    expect(reasonsInFinding({ ...judged, durationMs: 1 })).toEqual([
      { service: 'backend', reason: 'CONTAINER_MISSING' },
      { service: 'auth', reason: 'HEALTH_CHECK_CONTAINER_ERROR' },
    ]);
  });

  it('keeps the exit code as the problem when the revision exited, and still lists the reason', () => {
    const evidence = failed('backend', 'revisionReason', 'HEALTH_CHECK_CONTAINER_ERROR');
    const withExit = {
      ...evidence,
      service: {
        ...evidence.service,
        terminalCondition: { ...evidence.service?.terminalCondition, message: 'Container called exit(3).' },
      },
    };
    const judged = judgeCloudRun([withExit], expected, NOW);
    expect(judged.summary).toBe('1/1 services not ready: backend exited during start-up (exit code 3)');
    expect(judged.evidence['reasons:backend']).toBe('HEALTH_CHECK_CONTAINER_ERROR');
  });

  it('records no reasons for a healthy service', () => {
    const judged = judgeCloudRun(
      [{ ...failed('backend', 'reason', 'CONTAINER_MISSING'), service: null }],
      expected,
      NOW,
    );
    expect(Object.keys(judged.evidence).filter((key) => key.startsWith('reasons:'))).toEqual([]);
    expect(reasonsInFinding(undefined)).toEqual([]);
  });
});
