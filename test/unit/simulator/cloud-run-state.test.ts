import { CloudRunState, type UpdateRequest } from '../../../src/simulator/cloud-run-state';
import { trafficOf } from '../../../src/simulator/cloud-run-update';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { DEFAULT_FAILURE_DETAIL, type ServiceView } from '../../../src/simulator/service-view';

const T0 = 1_800_000_000_000;

function stateFor(rollout: Partial<Scenario['rollout']>): CloudRunState {
  const outage = loadScenario('staging-outage');
  return new CloudRunState({ ...outage, rollout: { ...outage.rollout, ...rollout } }, () => 0);
}

/** What GET shows at `at`, reduced to what a rollout changes. */
function status(state: CloudRunState, at: number) {
  const view = state.view('backend', at) as ServiceView;
  return {
    generation: view.generation,
    observedGeneration: view.observedGeneration,
    reconciling: view.reconciling,
    ready: view.conditions.find((c) => c.type === 'Ready')?.state,
    latestCreated: view.latestCreatedRevision,
    latestReady: view.latestReadyRevision,
    newest: [view.revisions[0]?.name, view.revisions[0]?.conditions[0]?.state],
  };
}

const restart = (state: CloudRunState, at: number): UpdateRequest => {
  const view = state.view('backend', at) as ServiceView;
  return {
    annotations: {},
    labels: {},
    template: { ...view.template, annotations: { 'warroom.dev/restarted-at': String(at) } },
    newRevision: true,
  };
};

describe('Cloud Run state in the simulator', () => {
  it('shows the scenario as it is until something is updated', () => {
    expect(status(stateFor({}), T0)).toEqual({
      generation: 2,
      observedGeneration: 2,
      reconciling: false,
      ready: 'CONDITION_FAILED',
      latestCreated: 'backend-00042-kav',
      latestReady: 'backend-00042-kav',
      newest: ['backend-00042-kav', 'CONDITION_FAILED'],
    });
    expect(stateFor({}).view('payments', T0)).toBeUndefined();
    expect(stateFor({}).view('constructor', T0)).toBeUndefined();
  });

  it('reconciles a new revision until readyAfterMs, then serves it', () => {
    const state = stateFor({ outcome: 'ready', readyAfterMs: 1000 });
    const operation = state.apply('backend', restart(state, T0), T0);
    expect(status(state, T0 + 999)).toEqual({
      generation: 3,
      observedGeneration: 2,
      reconciling: true,
      ready: 'CONDITION_RECONCILING',
      latestCreated: 'backend-00043-aaa',
      latestReady: 'backend-00042-kav',
      newest: ['backend-00043-aaa', 'CONDITION_RECONCILING'],
    });
    expect(state.operation(operation, T0 + 999)).toEqual({ service: 'backend', done: false });
    expect(state.restarted('backend', T0 + 999)).toBe(false);

    expect(status(state, T0 + 1000)).toEqual({
      generation: 3,
      observedGeneration: 3,
      reconciling: false,
      ready: 'CONDITION_SUCCEEDED',
      latestCreated: 'backend-00043-aaa',
      latestReady: 'backend-00043-aaa',
      newest: ['backend-00043-aaa', 'CONDITION_SUCCEEDED'],
    });
    expect(state.operation(operation, T0 + 1000)).toEqual({ service: 'backend', done: true });
    expect(state.restarted('backend', T0 + 1000)).toBe(true);
  });

  it('fails a new revision as the rollout says, keeping the ready revision', () => {
    const state = stateFor({
      outcome: 'failed',
      readyAfterMs: 500,
      failureMessage: 'Container called exit(3).',
    });
    const operation = state.apply('backend', restart(state, T0), T0);
    const view = state.view('backend', T0 + 500) as ServiceView;
    expect(status(state, T0 + 500)).toMatchObject({
      observedGeneration: 3,
      reconciling: false,
      ready: 'CONDITION_FAILED',
      latestReady: 'backend-00042-kav',
      newest: ['backend-00043-aaa', 'CONDITION_FAILED'],
    });
    expect(view.conditions[0]).toMatchObject({
      reason: 'REVISION_FAILED',
      severity: 'ERROR',
      message:
        "Revision 'backend-00043-aaa' is not ready and cannot serve traffic. Container called exit(3).",
    });
    expect(view.revisions[0]?.conditions[0]?.revisionReason).toBe('HEALTH_CHECK_CONTAINER_ERROR');
    expect(state.operation(operation, T0 + 500)).toEqual({
      service: 'backend',
      done: true,
      error: { code: 9, message: view.conditions[0]?.message },
    });
    expect(state.restarted('backend', T0 + 10_000)).toBe(false);
  });

  it('says why a revision failed by default: exit(3) during start-up', () => {
    const state = stateFor({ outcome: 'failed', readyAfterMs: 0 });
    state.apply('backend', restart(state, T0), T0);
    expect(state.view('backend', T0)?.revisions[0]?.conditions[0]?.message).toBe(DEFAULT_FAILURE_DETAIL);
  });

  it('moves traffic without a revision, settled after at most 200 ms', () => {
    const state = stateFor({ readyAfterMs: 5000 });
    const current = state.view('backend', T0) as ServiceView;
    const traffic = [{ revision: 'backend-00041-wuz', percent: 100 }];
    state.apply('backend', { ...current, traffic, newRevision: false }, T0);
    const rolling = state.view('backend', T0 + 199) as ServiceView;
    expect(rolling).toMatchObject({ traffic, reconciling: true, observedGeneration: 2 });
    expect(rolling.trafficStatuses).toEqual(current.trafficStatuses);
    const moved = state.view('backend', T0 + 200) as ServiceView;
    expect(moved).toMatchObject({
      traffic,
      trafficStatuses: traffic,
      reconciling: false,
      observedGeneration: 3,
    });
    expect(moved.conditions).toEqual(current.conditions);
    expect(moved.latestCreatedRevision).toBe('backend-00042-kav');
  });

  it('settles updates in order: a later traffic change waits for the revision before it', () => {
    const state = stateFor({ readyAfterMs: 1000 });
    state.apply('backend', restart(state, T0), T0);
    const view = state.view('backend', T0 + 10) as ServiceView;
    state.apply('backend', { ...view, newRevision: false }, T0 + 10);
    expect(status(state, T0 + 500)).toMatchObject({
      generation: 4,
      observedGeneration: 2,
      reconciling: true,
    });
    expect(status(state, T0 + 1000)).toMatchObject({ observedGeneration: 4, reconciling: false });
  });

  it('answers a validateOnly operation as done and changes nothing', () => {
    const state = stateFor({});
    const operation = state.validated('backend');
    expect(operation).toMatch(/^projects\/acme-staging\/locations\/us-central1\/operations\/[0-9a-f-]{36}$/);
    expect(state.operation(operation, T0)).toEqual({ service: 'backend', done: true });
    expect(state.view('backend', T0)?.generation).toBe(2);
    expect(state.operation(`${operation}x`, T0)).toBeUndefined();
  });
});

describe('traffic in an update', () => {
  const REVISIONS = ['backend-00042-kav', 'backend-00041-wuz'];
  it.each<[string, unknown[], unknown]>([
    [
      'LATEST by enum name',
      [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      [{ revision: 'LATEST', percent: 100 }],
    ],
    [
      'LATEST by enum number, revision empty',
      [{ type: 1, revision: '', percent: 100 }],
      [{ revision: 'LATEST', percent: 100 }],
    ],
    [
      'a revision by name',
      [{ type: 2, revision: 'backend-00041-wuz', percent: 100 }],
      [{ revision: 'backend-00041-wuz', percent: 100 }],
    ],
    [
      'a revision by resource name, split with LATEST',
      [
        { revision: 'projects/p/locations/r/services/backend/revisions/backend-00041-wuz', percent: 90 },
        { type: 1, percent: 10 },
      ],
      [
        { revision: 'backend-00041-wuz', percent: 90 },
        { revision: 'LATEST', percent: 10 },
      ],
    ],
    [
      'an unknown revision',
      [{ type: 2, revision: 'backend-00099-abc', percent: 100 }],
      "traffic[0]: revision 'backend-00099-abc' does not exist.",
    ],
    [
      'a target naming nothing',
      [{ type: 2, percent: 100 }],
      'traffic[0] names no revision and is not LATEST.',
    ],
    [
      'percents short of 100',
      [{ type: 2, revision: 'backend-00041-wuz', percent: 50 }],
      'Traffic percentages must add up to 100, not 50.',
    ],
  ])('reads %s', (_what, body, expected) => {
    expect(trafficOf(body, REVISIONS)).toEqual(expected);
  });
});
