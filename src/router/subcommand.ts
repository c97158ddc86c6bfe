import type { ChatMessage } from '../chat/message';
import type { Config } from '../config/schema';
import type { DiagStarter } from '../diag/diag-launcher';
import type { Incident } from '../incident/incident';
import type { IncidentCommands } from '../incident/incident-desk';
import type { Invocation } from '../invocation';
import type { Logger } from '../log/logger';
import type { ReplicaConfirmation } from '../queue/replica-confirmation';
import type { RemediationCommands } from '../remediation/remediation-desk';
import type { VerifyStarter } from '../verify/verify-launcher';
import type { AccessDeclaration, AccessGate, AccessSubject, Audience } from './access';
import type { CommandInput } from './command-input';

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
  incidents: IncidentCommands;
  remediation: RemediationCommands;
  verify: VerifyStarter;
  /** Decides who may run what; the router asks it before every subcommand runs. */
  access: AccessGate;
  /** Signed links to the incident pages; absent when they are off. */
  pages?: PageLinks;
  /** Confirms each command's writes on Redis replicas before its reply says done; absent without replicas to ask. */
  confirmation?: ReplicaConfirmation;
}

/** Signed, revocable links to the incident pages (`RevocableLinks`). */
export interface PageLinks {
  incident(incidentId: string): Promise<string>;
  list(): Promise<string>;
  revoke(scope: { incidentId: string } | 'incident-list'): Promise<void>;
}

/** The immediate answer to the person who typed the command (ephemeral in Slack). */
export interface CommandOutcome {
  reply: ChatMessage;
}

export type ParseResult<A> = { ok: true; args: A } | { ok: false; error: string };

/**
 * Whether a subcommand works with the incident of the channel it is typed in:
 * `required`, only in an incident channel; `optional`, anywhere, recorded on the incident when
 * typed in an open one's channel; `none`, never looks.
 */
export type IncidentUse = 'required' | 'optional' | 'none';

/**
 * Whether a subcommand acts outside Warroom: changes Cloud Run, pages people, or creates or
 * archives Slack channels. Posting in a channel and keeping the incident's record, timeline and
 * timers do not count. For one that does so only with some arguments, `applies` says for which
 * and `when` says it in help's words (`with --watch`).
 */
export type SideEffects<A> = boolean | { when: string; applies(args: A): boolean };

/** How a subcommand file declares itself; see commands/help.ts for the shape in use. */
export interface SubcommandSpec<A, I extends Incident | undefined = Incident | undefined> {
  name: string;
  /** One line, e.g. `diag <env>`. */
  usage: string;
  summary: string;
  examples: string[];
  /** Whether running it acts outside Warroom; help marks those that do. */
  sideEffects: SideEffects<A>;
  /** Who may run it: the router enforces it before `run`, and help shows it. */
  access: AccessDeclaration<A>;
  /** What the access check is about, when the audience depends on it (a follow-up's owner). */
  subject?(args: A): AccessSubject | undefined;
  /**
   * True when it changes the incident (its record, timeline or people): refused once the incident
   * is closed. A function when it depends on the arguments (`verify --watch`).
   */
  changesIncident: boolean | ((args: A) => boolean);
  /** Validates the arguments; an error names what was wrong (usage is appended by the router). */
  parse(input: CommandInput, context: Pick<CommandContext, 'config'>): ParseResult<A>;
  run(args: A, context: CommandContext, incident: I): Promise<CommandOutcome>;
}

/** A parsed call, ready for the router's checks and then to run. */
export interface PreparedCall {
  audience: Audience;
  subject?: AccessSubject;
  changesIncident: boolean;
  /** The declared {@link SideEffects}, for these arguments. */
  sideEffects: boolean;
  run(context: CommandContext, incident: Incident | undefined): Promise<CommandOutcome>;
}

/** A subcommand with its argument type erased, as the registry holds it. */
export interface Subcommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
  readonly sideEffects: SideEffects<never>;
  readonly incident: IncidentUse;
  readonly access: AccessDeclaration<never>;
  prepare(
    input: CommandInput,
    context: Pick<CommandContext, 'config'>,
  ): { ok: true; call: PreparedCall } | { ok: false; error: string };
}

function declare<A, I extends Incident | undefined>(
  spec: SubcommandSpec<A, I>,
  incident: IncidentUse,
): Subcommand {
  const { access, sideEffects } = spec;
  return {
    name: spec.name,
    usage: spec.usage,
    summary: spec.summary,
    examples: spec.examples,
    sideEffects,
    incident,
    access: access as AccessDeclaration<never>,
    prepare(input, context) {
      const parsed = spec.parse(input, context);
      if (!parsed.ok) return parsed;
      const { args } = parsed;
      const stricter = typeof access === 'string' ? undefined : access.stricter;
      return {
        ok: true,
        call: {
          audience: typeof access === 'string' ? access : stricter?.applies(args) ? stricter.who : access.who,
          ...(spec.subject?.(args) ? { subject: spec.subject(args) } : {}),
          changesIncident:
            typeof spec.changesIncident === 'function' ? spec.changesIncident(args) : spec.changesIncident,
          sideEffects: typeof sideEffects === 'boolean' ? sideEffects : sideEffects.applies(args),
          run: (ctx, found) => spec.run(args, ctx, found as I),
        },
      };
    },
  };
}

/**
 * A subcommand that works anywhere. With `incident: 'optional'` it receives the open incident of
 * the channel it was typed in (and is recorded on its timeline); with `'none'` (the default) the
 * router does not look.
 */
export function defineSubcommand<A>(
  spec: SubcommandSpec<A, Incident | undefined> & { incident?: 'optional' | 'none' },
): Subcommand {
  return declare(spec, spec.incident ?? 'none');
}

/** A subcommand that works only in an incident channel; typed anywhere else, it says so. */
export function defineIncidentSubcommand<A>(spec: SubcommandSpec<A, Incident>): Subcommand {
  return declare(spec, 'required');
}

/** Everything a command needs but the invocation: built once per process, shared by the adapters. */
export type CommandBase = Omit<CommandContext, 'invocation'>;
