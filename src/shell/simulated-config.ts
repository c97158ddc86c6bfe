import type { Config } from '../config/schema';

/**
 * The configuration as the simulator can serve it: health checks answered by the simulator's
 * `/sim/health/<name>`, and the database probe kept only where its DSN variable is set (there is no
 * simulated PostgreSQL; a real one can be named in the variable).
 */
export function simulatedConfig(config: Config, simulatorBaseUrl: string, env: NodeJS.ProcessEnv): Config {
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, environment]) => {
      const { database, ...rest } = environment;
      return [
        name,
        {
          ...rest,
          healthChecks: environment.healthChecks.map((h) => ({
            name: h.name,
            url: `${simulatorBaseUrl}/sim/health/${encodeURIComponent(h.name)}`,
          })),
          ...(database && env[database.urlEnv] ? { database } : {}),
        },
      ];
    }),
  );
  return { ...config, environments };
}
