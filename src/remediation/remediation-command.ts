import { formatDuration } from '../config/duration';
import type { Config, EnvironmentConfig } from '../config/schema';
import type { Incident } from '../incident/incident';
import { type CommandInput, parseOptions } from '../router/command-input';
import { environmentArg, serviceArg } from '../router/environment-arg';
import type { CommandContext, CommandOutcome, ParseResult } from '../router/subcommand';
import { APPROVAL_TTL_MS, type RemediationAction, type RemediationRequest } from './remediation';
import type { AskOutcome } from './remediation-desk';

export interface RemediationArgs {
  environment: EnvironmentConfig;
  service: string;
  revision?: string;
  reason?: string;
  dryRun: boolean;
}

const REVISION = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** Parses `<env> <service> [revision] [--reason text] [--dry-run]` for restart and rollback. */
export function parseRemediationArgs(
  action: RemediationAction,
  input: CommandInput,
  config: Config,
): ParseResult<RemediationArgs> {
  const parsed = parseOptions(input, { valued: ['reason'], switches: ['dry-run'] });
  if (!parsed.ok) return parsed;
  const { values, switches } = parsed.options;
  const positional = parsed.options.positional.words;
  const max = action === 'rollback' ? 3 : 2;
  if (positional.length > max) {
    return {
      ok: false,
      error: `${action} takes an environment and a service${action === 'rollback' ? ' (and optionally a revision)' : ''}; put words of a reason after --reason.`,
    };
  }
  const env = environmentArg(positional[0], config);
  if (!env.ok) return env;
  const service = serviceArg(positional[1], env.environment);
  if (!service.ok) return service;
  const revision = positional[2]?.toLowerCase();
  if (revision !== undefined && (!REVISION.test(revision) || !revision.startsWith(`${service.service}-`))) {
    return {
      ok: false,
      error: `"${revision.slice(0, 64)}" is not a revision of ${service.service}: revision names look like ${service.service}-00041-wuz.`,
    };
  }
  const reason = values.reason?.trim();
  if (reason && reason.length > 500) return { ok: false, error: 'Keep the reason under 500 characters.' };
  return {
    ok: true,
    args: {
      environment: env.environment,
      service: service.service,
      ...(revision ? { revision } : {}),
      ...(reason ? { reason } : {}),
      dryRun: switches.has('dry-run'),
    },
  };
}

const verbing = (action: RemediationAction) => (action === 'restart' ? 'Restarting' : 'Rolling back');
const what = (r: RemediationRequest) =>
  `${r.action} of *${r.service}* in *${r.environment}*${r.action === 'rollback' && r.revision ? ` to ${r.revision}` : ''}`;

/** Runs restart or rollback through the remediation desk and words its answer. */
export async function requestRemediation(
  action: RemediationAction,
  args: RemediationArgs,
  context: CommandContext,
  incident: Incident | undefined,
): Promise<CommandOutcome> {
  const { invocation, services } = context;
  const outcome = await services.remediation.ask({
    action,
    environment: args.environment,
    service: args.service,
    ...(args.revision ? { revision: args.revision } : {}),
    ...(args.reason ? { reason: args.reason } : {}),
    dryRun: args.dryRun,
    invocation,
    ...(incident ? { incident } : {}),
  });
  return { reply: { text: replyText(action, args, outcome) } };
}

function replyText(action: RemediationAction, args: RemediationArgs, outcome: AskOutcome): string {
  switch (outcome.kind) {
    case 'awaiting-approval':
      return `:raised_hand: The ${what(outcome.request)} needs a second person's approval: an approver other than you can click *Approve* in the channel or type \`/incident approve ${outcome.request.id}\`. It expires in ${formatDuration(APPROVAL_TTL_MS)}.`;
    case 'started':
      return args.dryRun
        ? `:mag: Dry run of the ${what(outcome.request)}: Warroom reads the service and shows the exact update it would send, changing nothing (request ${outcome.request.id}).`
        : `:hammer_and_wrench: ${verbing(action)} *${args.service}* in *${args.environment.name}* (request ${outcome.request.id}); progress streams into the channel.`;
    case 'joined':
      return `A ${what(outcome.request)} is already in flight (request ${outcome.request.id}, ${outcome.request.state}); this joins it — follow its message in <#${outcome.request.channelId}>.`;
    case 'busy':
      return `A ${what(outcome.request)} is in flight (request ${outcome.request.id}, ${outcome.request.state}). Wait for it to finish (or deny it) before asking for a ${action}; nothing was queued.`;
    case 'repeated':
      return `This request (${outcome.request.id}) was already received: ${outcome.request.state}.`;
  }
}
