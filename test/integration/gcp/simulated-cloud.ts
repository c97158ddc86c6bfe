import { GoogleCloudGateway } from '../../../src/gcp/google-cloud-gateway';
import { CloudSimulator, type ScenarioSource } from '../../../src/simulator/cloud-simulator';
import { loadScenario } from '../../../src/simulator/load-scenario';
import type { Scenario, SimulatedMethod } from '../../../src/simulator/scenario';

export const PROJECT = 'acme-staging';
export const REGION = 'us-central1';

/** A simulator and a gateway pointed at it through the real client libraries. */
export interface SimulatedCloud {
  simulator: CloudSimulator;
  gateway: GoogleCloudGateway;
  stop(): Promise<void>;
}

export async function startSimulatedCloud(
  scenario: ScenarioSource = 'healthy',
  retry = { attempts: 3, baseDelayMs: 10 },
): Promise<SimulatedCloud> {
  const simulator = await CloudSimulator.start({ scenario });
  const gateway = GoogleCloudGateway.create({
    emulator: { host: simulator.host, port: simulator.port },
    retry,
  });
  return {
    simulator,
    gateway,
    async stop() {
      await gateway.close();
      await simulator.close();
    },
  };
}

/** The healthy scenario with some faults switched on. */
export function healthyWith(faults: Partial<Scenario['faults']>): Scenario {
  const base = loadScenario('healthy');
  return { ...base, faults: { ...base.faults, ...faults } };
}

/** The methods the diagnosis reads; the Cloud Run writes have their own tests (cloud-run-update). */
export type ReadMethod = Exclude<
  SimulatedMethod,
  'run.services.update' | 'run.operations.get' | `drive.${string}`
>;

/** One gateway call per read method, as a check would make it. */
export const CALLS: Record<
  ReadMethod,
  (gateway: GoogleCloudGateway, signal?: AbortSignal) => Promise<unknown>
> = {
  'vpcaccess.connectors.get': (g, signal) => g.getConnector(PROJECT, REGION, 'staging-connector', { signal }),
  'cloudsql.instances.get': (g, signal) => g.getSqlInstance(PROJECT, 'staging-db', { signal }),
  'run.services.get': (g, signal) => g.getService(PROJECT, REGION, 'backend', { signal }),
  'run.revisions.list': (g, signal) => g.listRevisions(PROJECT, REGION, 'backend', { signal }),
  'logging.logEntries.list': (g, signal) =>
    g.listLogEntries({ projectId: PROJECT, filter: 'severity>=ERROR', pageSize: 10 }, { signal }),
  'monitoring.timeSeries.list': (g, signal) =>
    g.listTimeSeries(
      {
        projectId: PROJECT,
        filter: 'metric.type="vpcaccess.googleapis.com/connector/cpu/utilizations"',
        startTime: new Date(Date.now() - 30 * 60_000),
        endTime: new Date(),
      },
      { signal },
    ),
  'resourcemanager.projects.getIamPolicy': (g, signal) => g.getProjectIamPolicy(PROJECT, { signal }),
  'resourcemanager.projects.get': (g, signal) => g.getProject(PROJECT, { signal }),
  'compute.firewalls.list': (g, signal) => g.listFirewalls(PROJECT, { signal }),
  'compute.subnetworks.get': (g, signal) => g.getSubnetwork(PROJECT, REGION, 'run-egress', { signal }),
};

export const METHODS = Object.keys(CALLS) as ReadMethod[];
