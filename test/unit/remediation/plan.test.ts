import type { CloudRunRevision, CloudRunService } from '../../../src/gcp/cloud-gateway';
import { decideDirectly } from '../../../src/remediation/access-policy';
import {
  carriesRequest,
  pickRollbackTarget,
  restartBody,
  restartRollout,
  rollbackBody,
  rollbackRollout,
  servingRevision,
} from '../../../src/remediation/plan';
import { REQUEST_ANNOTATION, remediationId } from '../../../src/remediation/remediation';

const NAME = 'projects/acme-staging/locations/us-central1/services/backend';

function service(extra: Partial<CloudRunService> = {}): CloudRunService {
  return {
    name: NAME,
    etag: '"7"',
    generation: '7',
    observedGeneration: '7',
    uid: 'u-1',
    createTime: { seconds: 1 },
    latestCreatedRevision: `${NAME}/revisions/backend-00042-kav`,
    latestReadyRevision: `${NAME}/revisions/backend-00042-kav`,
    terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
    template: {
      revision: 'backend-00042-kav',
      annotations: { team: 'core' },
      containers: [{ image: 'app:1' }],
    },
    traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
    trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
    ...extra,
  };
}

const revision = (name: string, minutesAgo: number, ready: boolean): CloudRunRevision => ({
  name: `${NAME}/revisions/${name}`,
  createTime: { seconds: Math.floor(Date.parse('2026-11-28T12:00:00Z') / 1000) - minutesAgo * 60 },
  conditions: [{ type: 'Ready', state: ready ? 'CONDITION_SUCCEEDED' : 'CONDITION_FAILED' }],
});

describe('the restart body', () => {
  it('keeps the configuration, adds the request annotation, clears the revision name and sends the etag', () => {
    const body = restartBody(service(), 'r0123456789');
    expect(body.etag).toBe('"7"');
    expect(body.name).toBe(NAME);
    expect(body.template?.revision).toBe('');
    expect(body.template?.annotations).toEqual({ team: 'core', [REQUEST_ANNOTATION]: 'r0123456789' });
    expect(body.template?.containers).toEqual([{ image: 'app:1' }]);
    // What Cloud Run computes is not sent back.
    for (const field of [
      'uid',
      'generation',
      'observedGeneration',
      'createTime',
      'terminalCondition',
      'latestReadyRevision',
      'trafficStatuses',
    ])
      expect(body).not.toHaveProperty(field);
  });

  it('is recognised on the service once applied, and only for its own request', () => {
    const applied = service({ template: restartBody(service(), 'r0123456789').template });
    expect(carriesRequest(applied, 'restart', 'r0123456789')).toBe(true);
    expect(carriesRequest(applied, 'restart', 'r9999999999')).toBe(false);
    expect(carriesRequest(service(), 'restart', 'r0123456789')).toBe(false);
  });
});

describe('the rollback body and target', () => {
  const revisions = [
    revision('backend-00042-kav', 10, false),
    revision('backend-00041-wuz', 100, true),
    revision('backend-00040-abc', 1000, true),
  ];

  it('moves 100% of traffic to one named revision and marks the service with the request', () => {
    const body = rollbackBody(service(), 'backend-00041-wuz', 'r0123456789');
    expect(body.traffic).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'backend-00041-wuz', percent: 100 },
    ]);
    expect(body.annotations).toEqual({ [REQUEST_ANNOTATION]: 'r0123456789' });
    expect(body.template?.revision).toBe('backend-00042-kav');
  });

  it('picks the newest ready revision older than the one serving', () => {
    expect(pickRollbackTarget(service(), revisions)).toEqual({ ok: true, revision: 'backend-00041-wuz' });
  });

  it('resolves LATEST, numeric enums and explicit revision targets to the revision serving', () => {
    expect(servingRevision(service())).toBe('backend-00042-kav');
    expect(servingRevision(service({ trafficStatuses: [{ type: 1, percent: 100 }] }))).toBe(
      'backend-00042-kav',
    );
    const pinned = service({ trafficStatuses: [{ type: 2, revision: 'backend-00041-wuz', percent: 100 }] });
    expect(servingRevision(pinned)).toBe('backend-00041-wuz');
    expect(pickRollbackTarget(pinned, revisions)).toEqual({ ok: true, revision: 'backend-00040-abc' });
  });

  it('refuses a named revision that does not exist or is not ready, listing the ready ones', () => {
    const missing = pickRollbackTarget(service(), revisions, 'backend-00001-zzz');
    expect(missing).toEqual({
      ok: false,
      reason: expect.stringContaining('backend-00041-wuz, backend-00040-abc'),
    });
    expect(pickRollbackTarget(service(), revisions, 'backend-00042-kav')).toEqual({
      ok: false,
      reason: expect.stringContaining('is not ready'),
    });
  });

  it('says so when there is no earlier ready revision', () => {
    const result = pickRollbackTarget(service(), [revision('backend-00042-kav', 1, true)]);
    expect(result.ok).toBe(false);
  });
});

describe('reading a rollout', () => {
  it('is pending while Cloud Run reconciles or has not observed the generation', () => {
    expect(restartRollout(service({ reconciling: true })).phase).toBe('pending');
    expect(restartRollout(service({ generation: '8' })).phase).toBe('pending');
  });

  it('is ready when the latest created revision is the latest ready one and Ready succeeded', () => {
    const created = `${NAME}/revisions/backend-00043-xqz`;
    expect(restartRollout(service({ latestCreatedRevision: created, latestReadyRevision: created }))).toEqual(
      {
        phase: 'ready',
        revision: 'backend-00043-xqz',
      },
    );
    // Ready, but the new revision is not the ready one yet.
    expect(restartRollout(service({ latestCreatedRevision: created })).phase).toBe('pending');
  });

  it('fails with Cloud Run’s message when the Ready condition failed (numeric enum too)', () => {
    const failed = restartRollout(
      service({
        latestCreatedRevision: `${NAME}/revisions/backend-00043-xqz`,
        terminalCondition: { type: 'Ready', state: 3, message: 'Container called exit(3).' },
      }),
    );
    expect(failed).toEqual({
      phase: 'failed',
      revision: 'backend-00043-xqz',
      message: 'Container called exit(3).',
    });
  });

  it('a rollback is done when all traffic is on the target', () => {
    const moved = service({ trafficStatuses: [{ type: 2, revision: 'backend-00041-wuz', percent: 100 }] });
    expect(rollbackRollout(moved, 'backend-00041-wuz')).toEqual({
      phase: 'ready',
      revision: 'backend-00041-wuz',
    });
    expect(rollbackRollout(service(), 'backend-00041-wuz').phase).toBe('pending');
  });
});

describe('access lists', () => {
  it('decides without Slack when it can', () => {
    expect(decideDirectly('anyone', 'U1')).toEqual({ allowed: true });
    expect(decideDirectly(['U1'], 'U1')).toEqual({ allowed: true });
    expect(decideDirectly(['U2'], 'U1')).toEqual({ allowed: false, reason: 'not listed' });
    expect(decideDirectly(['U2', 'S0INFRA'], 'U1')).toBe('needs-groups');
  });
});

describe('request ids', () => {
  it('are stable per invocation, so a redelivered command is the same request', () => {
    expect(remediationId('trigger-1')).toBe(remediationId('trigger-1'));
    expect(remediationId('trigger-1')).not.toBe(remediationId('trigger-2'));
    expect(remediationId('trigger-1')).toMatch(/^r[0-9a-f]{10}$/);
  });
});
