import type { ChatMessage } from '../chat/message';
import type { Config } from '../config/schema';
import type { DiagStarter } from '../diag/launch-diag';
import type { IncidentDesk } from '../incident/incident-desk';
import type { Invocation } from '../invocation';
import type { Logger } from '../log/logger';
import type { RemediationDesk } from '../remediation/remediation-desk';
import type { VerifyStarter } from '../verify/verify-launcher';

/** What a subcommand's handler may use. Grows as capabilities land; adapters build it once. */
export interface CommandContext {
  invocation: Invocation;
  config: Config;
  registry: readonly Subcommand[];
  log: Logger;
  services: CommandServices;
}

/** The capabilities commands reach through, built once per process (Redis only: safe on the ack path). */
export interface CommandServices {
  diag: DiagStarter;
  incidents: IncidentDesk;
  remediation: RemediationDesk;
  verify: VerifyStarter;
  /** Signed links to the incident pages; absent when they are off. */
  pages?: { list(): string };
}

/** The immediate answer to the person who typed the command (ephemeral in Slack). */
export interface CommandOutcome {
  reply: ChatMessage;
}

export type ParseResult<A> = { ok: true; args: A } | { ok: false; error: string };

/** How a subcommand file declares itself; see commands/help.ts for the shape in use. */
export interface SubcommandSpec<A> {
  name: string;
  /** One line, e.g. `diag <env>`. */
  usage: string;
  summary: string;
  examples: string[];
  /** True when running it changes something outside Warroom (Cloud Run, paging people). */
  sideEffects: boolean;
  /** Validates the arguments; an error names what was wrong (usage is appended by the router). */
  parse(argv: string[], context: Pick<CommandContext, 'config'>): ParseResult<A>;
  run(args: A, context: CommandContext): Promise<CommandOutcome>;
}

/** A subcommand with its argument type erased, as the registry holds it. */
export interface Subcommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  readonly sideEffects: boolean;
  invoke(argv: string[], context: CommandContext): Promise<CommandOutcome | { usageError: string }>;
}

export function defineSubcommand<A>(spec: SubcommandSpec<A>): Subcommand {
  return {
    name: spec.name,
    usage: spec.usage,
    summary: spec.summary,
    examples: spec.examples,
    sideEffects: spec.sideEffects,
    async invoke(argv, context) {
      const parsed = spec.parse(argv, context);
      if (!parsed.ok) return { usageError: parsed.error };
      return spec.run(parsed.args, context);
    },
  };
}

/** Everything a command needs but the invocation: built once per process, shared by the adapters. */
export type CommandBase = Omit<CommandContext, 'invocation'>;
