import { DiagLauncher } from '../diag/diag-launcher';
import { IncidentDesk } from '../incident/incident-desk';
import type { ReplicaConfirmation } from '../queue/replica-confirmation';
import { AccessPolicy } from '../remediation/access-policy';
import { RemediationDesk } from '../remediation/remediation-desk';
import { ConfiguredAccessGate } from '../router/access';
import type { CommandBase, PageLinks, Subcommand } from '../router/subcommand';
import type { SlackWorkspace } from '../slack/slack-workspace';
import { VerifyLauncher } from '../verify/verify-launcher';
import { incidentCore, type SideOptions } from './side-options';

export interface CommandSideOptions extends SideOptions {
  registry: readonly Subcommand[];
  links?: PageLinks;
  /** Expands user groups of the access lists; absent without Slack (the lists must then name users). */
  workspace?: Pick<SlackWorkspace, 'expandUserGroup'>;
  /** How long a diag run may hold "the running diag" of its channel and environment. */
  diagActiveTtlMs: number;
  watchEveryMs: number;
  /** Confirms each command's writes on Redis replicas (REDIS_CONFIRM_REPLICAS; on with Sentinel). */
  confirmation?: ReplicaConfirmation | undefined;
}

/**
 * What slash commands and clicks reach: the desks and launchers, Redis only, so every command
 * is acknowledged in milliseconds. Adapters (Slack, the shell) hand it to the router with the
 * invocation.
 */
export function buildCommandSide(options: CommandSideOptions): CommandBase {
  const { config, log, redis, stores, queues, clock } = options;
  const verify = new VerifyLauncher({
    redis,
    queue: queues.verify,
    watches: stores.watches,
    incidents: stores.incidents,
    outbox: stores.outbox,
    clock,
    watchEveryMs: options.watchEveryMs,
  });
  const incidents = new IncidentDesk({
    ...incidentCore(options, options.links),
    redis,
    onClose: (incidentId) => verify.stopWatches(incidentId, 'the incident closed'),
  });
  const lists = new AccessPolicy({
    redis,
    prefix: options.prefix,
    ...(options.workspace ? { workspace: options.workspace } : {}),
  });
  return {
    config,
    registry: options.registry,
    log,
    services: {
      diag: new DiagLauncher({
        redis,
        store: stores.diagRuns,
        startQueue: queues.diagStart,
        activeTtlMs: options.diagActiveTtlMs,
      }),
      incidents,
      remediation: new RemediationDesk({
        redis,
        store: stores.remediations,
        queue: queues.remediation,
        outbox: stores.outbox,
        incidents: stores.incidents,
        clock,
        log: log.child({ component: 'remediation' }),
      }),
      verify,
      access: new ConfiguredAccessGate({ config, lists, incidents }),
      ...(options.links ? { pages: options.links } : {}),
      ...(options.confirmation ? { confirmation: options.confirmation } : {}),
    },
  };
}
