import type { Config } from '../config/schema';
import type { Scenario } from '../simulator/scenario';

/**
 * A scenario with no connector whose services name none either models an environment without one
 * (Direct VPC egress, or a Cloud SQL connection); a deleted connector still has services naming it.
 */
const withoutConnector = (scenario: Scenario): boolean =>
  scenario.connector === undefined &&
  Object.values(scenario.services).every((s) => s.vpcAccess?.connector === undefined);

/**
 * The configuration as the simulator can serve it: health checks answered by the simulator's
 * `/sim/health/<name>`, and the database probe kept only where its DSN variable is set (there is no
 * simulated PostgreSQL; a real one can be named in the variable). For a Direct VPC egress scenario,
 * or a Cloud SQL connection with no connector, the scenario's project has none in the configuration either.
 * The postmortem draft is written to the simulated Drive's folder.
 */
export function simulatedConfig(
  config: Config,
  simulator: { baseUrl: string; scenario: Scenario },
  env: NodeJS.ProcessEnv,
): Config {
  const simulatorBaseUrl = simulator.baseUrl;
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, environment]) => {
      const { database, connector, ...rest } = environment;
      const dropConnector =
        environment.project === simulator.scenario.project && withoutConnector(simulator.scenario);
      return [
        name,
        {
          ...rest,
          ...(connector && !dropConnector ? { connector } : {}),
          healthChecks: environment.healthChecks.map((h) => ({
            name: h.name,
            url: `${simulatorBaseUrl}/sim/health/${encodeURIComponent(h.name)}`,
          })),
          // The pool size still sizes the connection budget when the probe cannot run.
          ...(database?.urlEnv && env[database.urlEnv]
            ? { database }
            : database?.poolSize !== undefined
              ? { database: { poolSize: database.poolSize } }
              : {}),
        },
      ];
    }),
  );
  // Postmortem drafts go to the simulated Drive's folder, so the demo ends with the document's link.
  const folder = simulator.scenario.drive.folders[0];
  return { ...config, environments, ...(folder ? { postmortem: { driveFolderId: folder } } : {}) };
}
