import type { Config } from '../../../src/config/schema';
import type { Incident } from '../../../src/incident/incident';
import { CommandInput } from '../../../src/router/command-input';
import type { CommandOutcome, PageLinks, PreparedCall, Subcommand } from '../../../src/router/subcommand';
import { lex } from '../../../src/router/tokenize';
import type { VerifyStarter, WatchStart } from '../../../src/verify/verify-launcher';
import {
  commandContext,
  configFrom,
  openIncident,
  RecordingDiag,
  RecordingIncidents,
  RecordingRemediation,
} from '../../support/command-context';
import { stagingConfigYaml } from '../../support/test-config';

/**
 * The staging of the outage (services backend, auth and ai), the default phases, and contacts for
 * every tier but `business`, so that naming a tier nobody is on call for can be refused.
 */
export const COMMANDS_CONFIG: Config = configFrom(
  stagingConfigYaml(
    'warroom',
    [
      'contacts:',
      '  infra-oncall: { tier: primary, slack: [U0ONCALL] }',
      '  gcp-support: { tier: secondary, slack: [U0SUPPORT] }',
      '  leadership: { tier: executive, slack: [U0VP] }',
    ].join('\n'),
  ),
);

/**
 * The words after the subcommand's name, as the router hands them over (src/router/dispatch.ts):
 * the whole text lexed, the name dropped, the text kept so free text can be read as typed. Text the
 * router refuses before any subcommand sees it (an unbalanced quote) fails the test: see
 * test/unit/router/tokenize.test.ts for those.
 */
export function commandInput(text: string): CommandInput {
  const lexed = lex(text);
  if (!lexed.ok) throw new Error(`the router refuses ${JSON.stringify(text)} itself: ${lexed.error}`);
  return new CommandInput(text, lexed.tokens.slice(1));
}

/**
 * `text` (`<name> <arguments>`) through the subcommand's `parse`. `prepare` is how the registry
 * exposes it: `parse`, then the declared access and closed-incident rule for those arguments.
 */
export function parseCommand(
  command: Subcommand,
  text: string,
  config: Config = COMMANDS_CONFIG,
): { ok: true; call: PreparedCall } | { ok: false; error: string } {
  return command.prepare(commandInput(text), { config });
}

/** What `parse` refused `text` with; throws when it took it. */
export function refusalOf(command: Subcommand, text: string, config: Config = COMMANDS_CONFIG): string {
  const parsed = parseCommand(command, text, config);
  if (parsed.ok) throw new Error(`/incident ${text} was accepted`);
  return parsed.error;
}

/** Approve and Deny, recorded with the request id they were given. */
export class RecordingDecisions extends RecordingRemediation {
  readonly decided: { decision: 'approve' | 'deny'; requestId: string | undefined }[] = [];
  override async approve(requestId?: string) {
    this.decided.push({ decision: 'approve', requestId });
    return super.approve();
  }
  override async deny(requestId?: string) {
    this.decided.push({ decision: 'deny', requestId });
    return super.deny();
  }
}

/** Verifications and watches asked for, recorded; a watch is answered "too short", as nothing runs. */
export class RecordingVerify implements VerifyStarter {
  readonly verified: Parameters<VerifyStarter['verify']>[0][] = [];
  readonly watched: Parameters<VerifyStarter['watch']>[0][] = [];
  async verify(request: Parameters<VerifyStarter['verify']>[0]) {
    this.verified.push(request);
    return { runId: 'v1' };
  }
  async watch(request: Parameters<VerifyStarter['watch']>[0]): Promise<WatchStart> {
    this.watched.push(request);
    return { kind: 'too-short', minMs: 120_000 };
  }
  async stopWatches() {
    return 0;
  }
}

/** Links that record what was asked of them. */
export class RecordingLinks implements PageLinks {
  readonly asked: string[] = [];
  async incident(incidentId: string) {
    this.asked.push(`incident ${incidentId}`);
    return `https://warroom.example.com/incidents/${incidentId}`;
  }
  async list() {
    this.asked.push('list');
    return 'https://warroom.example.com/incidents';
  }
  async revoke(scope: { incidentId: string } | 'incident-list') {
    this.asked.push(`revoke ${typeof scope === 'string' ? scope : scope.incidentId}`);
  }
}

/** The recording desks a parsed command ran against, and its reply: where its arguments ended up. */
export interface Ran {
  incident: Incident;
  incidents: RecordingIncidents;
  remediation: RecordingDecisions;
  diag: RecordingDiag;
  verify: RecordingVerify;
  pages: RecordingLinks;
  reply: CommandOutcome['reply'];
}

/**
 * Parses `text` and runs it, typed in the channel of an open incident, against recording desks;
 * throws when `parse` refuses it. The arguments `parse` produced are what reached the desks (the
 * registry keeps `parse`'s result inside the prepared call).
 */
export async function runParsed(
  command: Subcommand,
  text: string,
  config: Config = COMMANDS_CONFIG,
): Promise<Ran> {
  const parsed = parseCommand(command, text, config);
  if (!parsed.ok) throw new Error(`/incident ${text} was refused: ${parsed.error}`);
  const incidents = new RecordingIncidents();
  const incident = incidents.add(openIncident({ channelId: 'CINC' }));
  const remediation = new RecordingDecisions();
  const diag = new RecordingDiag();
  const verify = new RecordingVerify();
  const pages = new RecordingLinks();
  const context = commandContext(text, { config, incidents, remediation, diag, verify, channel: 'CINC' });
  context.services.pages = pages;
  const { reply } = await parsed.call.run(context, incident);
  return { incident, incidents, remediation, diag, verify, pages, reply };
}

/** The arguments of the one call the command made to `method` of the incident desk. */
export function deskCall(ran: Ran, method: string): unknown[] {
  const calls = ran.incidents.calls.filter((c) => c.method === method);
  if (calls.length !== 1) throw new Error(`${calls.length} calls to ${method}: ${ran.incidents.methods()}`);
  return calls[0]?.args ?? [];
}

/** Free text 1 character over `max`. */
export const longerThan = (max: number) => 'x'.repeat(max + 1);
