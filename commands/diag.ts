/**
 * `/incident diag <env>` — diagnoses an environment: the VPC Access connector, Cloud SQL, the
 * Cloud Run services and revisions, error logs, the network path and the VPC firewall rules on it,
 * whether the services' runtime service accounts may connect to Cloud SQL (the project's IAM
 * policy), health endpoints and database connect time, in parallel. One message shows every check
 * live and ends with a verdict; details of anything not ok go in its thread. A second `diag` of the
 * same environment in the same channel while one runs joins it.
 */

import type { EnvironmentConfig } from '../src/config/schema';
import { environmentArg } from '../src/router/environment-arg';
import { defineSubcommand } from '../src/router/subcommand';

export default defineSubcommand<{ environment: EnvironmentConfig }>({
  name: 'diag',
  usage: 'diag <env>',
  summary:
    'Diagnose an environment: connector, Cloud SQL, Cloud Run, logs, network, firewall, IAM, health — with a verdict.',
  examples: ['/incident diag staging'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: false,
  incident: 'optional',
  parse(input, { config }) {
    if (input.length > 1) {
      const known = Object.keys(config.environments)
        .map((n) => `\`${n}\``)
        .join(', ');
      return { ok: false, error: `diag takes one environment name. Configured: ${known}.` };
    }
    const env = environmentArg(input.word(0), config);
    return env.ok ? { ok: true, args: { environment: env.environment } } : env;
  },
  async run({ environment }, { invocation, services }, incident) {
    // Inside an open incident's channel the run is also recorded on the incident's timeline.
    const launched = await services.diag.launch({
      environment,
      channelId: invocation.channelId,
      requestedBy: invocation.userId,
      invocationId: invocation.id,
      ...(incident ? { incidentId: incident.id } : {}),
    });
    const text = launched.joined
      ? `A diagnosis of *${environment.name}* is already running in this channel (run ${launched.runId}); its results are in the message above.`
      : `:mag: Diagnosing *${environment.name}* (${environment.project}, ${environment.region}): results stream into this channel (run ${launched.runId}).`;
    return { reply: { text } };
  },
});
